SELECT
  "t15"."slot",
  "t15"."clients",
  "t15"."outflow_clients",
  CAST(ROUND("t15"."outflow_clients" / NULLIF("t15"."clients", 0), 4) AS DOUBLE) AS "outflow_rate"
FROM (
  SELECT
    "t14"."slot",
    COUNT(DISTINCT "t14"."client_key") AS "clients",
    COUNT(DISTINCT "t14"."client_key") FILTER(WHERE
      "t14"."latest_end" <= "t14"."slot_last") AS "outflow_clients"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t12"."client_key",
        "t12"."slot",
        "t12"."slot_last",
        MAX(COALESCE("t12"."episode_end", MAKE_DATE(9999, 12, 31))) AS "latest_end",
        MIN("t12"."birth_date") AS "birth",
        ANY_VALUE("t12"."law") AS "law_for_age"
      FROM (
        SELECT
          "t5"."allocation_id",
          "t5"."client_key",
          "t5"."birth_date",
          "t5"."gender",
          "t5"."municipality_code",
          "t5"."law",
          "t5"."product_category",
          "t5"."product_code",
          "t5"."provider_code",
          "t5"."referrer",
          "t5"."delivery_form",
          "t5"."start_date",
          "t5"."end_date",
          "t11"."client_key" AS "client_key_right",
          "t11"."episode",
          "t11"."episode_start",
          "t11"."episode_end",
          "t11"."birth",
          "t11"."law_for_age",
          "t2"."slot",
          "t2"."slot_first",
          "t2"."slot_last"
        FROM (
          SELECT
            "t0"."allocation_id",
            "t0"."client_key",
            "t0"."birth_date",
            "t0"."gender",
            "t0"."municipality_code",
            "t0"."law",
            "t0"."product_category",
            "t0"."product_code",
            "t0"."provider_code",
            "t0"."referrer",
            "t0"."delivery_form",
            "t0"."start_date",
            CASE
              WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
              THEN CAST(NULL AS DATE)
              ELSE "t0"."end_date"
            END AS "end_date"
          FROM "allocation_versions" AS "t0"
          WHERE
            "t0"."superseded_at" IS NULL
            AND NOT (
              "t0"."is_deleted"
            )
            AND "t0"."start_date" <= MAKE_DATE(2024, 1, 1)
            AND "t0"."start_date" <= MAKE_DATE(2018, 12, 31)
            AND (
              (
                CASE
                  WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                  THEN CAST(NULL AS DATE)
                  ELSE "t0"."end_date"
                END IS NULL
              )
              OR (
                CASE
                  WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                  THEN CAST(NULL AS DATE)
                  ELSE "t0"."end_date"
                END >= MAKE_DATE(2018, 1, 1)
              )
            )
        ) AS "t5"
        INNER JOIN (
          SELECT
            "t9"."client_key",
            "t9"."episode",
            "t9"."episode_start",
            CASE
              WHEN "t9"."episode_end" = MAKE_DATE(9999, 12, 31)
              THEN CAST(NULL AS DATE)
              ELSE "t9"."episode_end"
            END AS "episode_end",
            "t9"."birth",
            "t9"."law_for_age"
          FROM (
            SELECT
              "t8"."client_key",
              "t8"."episode",
              MIN("t8"."start_date") AS "episode_start",
              MAX("t8"."end_filled") AS "episode_end",
              MIN("t8"."birth_date") AS "birth",
              MIN("t8"."law") AS "law_for_age"
            FROM (
              SELECT
                "t7"."allocation_id",
                "t7"."client_key",
                "t7"."birth_date",
                "t7"."gender",
                "t7"."municipality_code",
                "t7"."law",
                "t7"."product_category",
                "t7"."product_code",
                "t7"."provider_code",
                "t7"."referrer",
                "t7"."delivery_form",
                "t7"."start_date",
                "t7"."end_date",
                "t7"."end_filled",
                "t7"."previous_end",
                "t7"."new_episode",
                SUM("t7"."new_episode") OVER (
                  PARTITION BY "t7"."client_key"
                  ORDER BY "t7"."start_date" ASC, "t7"."end_filled" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                ) AS "episode"
              FROM (
                SELECT
                  "t6"."allocation_id",
                  "t6"."client_key",
                  "t6"."birth_date",
                  "t6"."gender",
                  "t6"."municipality_code",
                  "t6"."law",
                  "t6"."product_category",
                  "t6"."product_code",
                  "t6"."provider_code",
                  "t6"."referrer",
                  "t6"."delivery_form",
                  "t6"."start_date",
                  "t6"."end_date",
                  "t6"."end_filled",
                  "t6"."previous_end",
                  CAST((
                    "t6"."previous_end" IS NULL
                  )
                  OR (
                    (
                      DATE_DIFF('DAY', "t6"."previous_end", "t6"."start_date") - 1
                    ) > 28
                  ) AS BIGINT) AS "new_episode"
                FROM (
                  SELECT
                    "t3"."allocation_id",
                    "t3"."client_key",
                    "t3"."birth_date",
                    "t3"."gender",
                    "t3"."municipality_code",
                    "t3"."law",
                    "t3"."product_category",
                    "t3"."product_code",
                    "t3"."provider_code",
                    "t3"."referrer",
                    "t3"."delivery_form",
                    "t3"."start_date",
                    "t3"."end_date",
                    "t3"."end_filled",
                    MAX("t3"."end_filled") OVER (
                      PARTITION BY "t3"."client_key"
                      ORDER BY "t3"."start_date" ASC, "t3"."end_filled" ASC
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                    ) AS "previous_end"
                  FROM (
                    SELECT
                      "t0"."allocation_id",
                      "t0"."client_key",
                      "t0"."birth_date",
                      "t0"."gender",
                      "t0"."municipality_code",
                      "t0"."law",
                      "t0"."product_category",
                      "t0"."product_code",
                      "t0"."provider_code",
                      "t0"."referrer",
                      "t0"."delivery_form",
                      "t0"."start_date",
                      CASE
                        WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                        THEN CAST(NULL AS DATE)
                        ELSE "t0"."end_date"
                      END AS "end_date",
                      COALESCE(
                        CASE
                          WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                          THEN CAST(NULL AS DATE)
                          ELSE "t0"."end_date"
                        END,
                        MAKE_DATE(9999, 12, 31)
                      ) AS "end_filled"
                    FROM "allocation_versions" AS "t0"
                    WHERE
                      "t0"."superseded_at" IS NULL
                      AND NOT (
                        "t0"."is_deleted"
                      )
                      AND "t0"."start_date" <= MAKE_DATE(2024, 1, 1)
                  ) AS "t3"
                ) AS "t6"
              ) AS "t7"
            ) AS "t8"
            GROUP BY
              1,
              2
          ) AS "t9"
        ) AS "t11"
          ON "t5"."client_key" = "t11"."client_key"
          AND "t5"."start_date" >= "t11"."episode_start"
          AND (
            (
              "t11"."episode_end" IS NULL
            )
            OR (
              "t5"."start_date" <= "t11"."episode_end"
            )
          )
        INNER JOIN "memtable_1" AS "t2"
          ON "t5"."start_date" <= "t2"."slot_last"
          AND (
            (
              "t5"."end_date" IS NULL
            ) OR (
              "t5"."end_date" >= "t2"."slot_first"
            )
          )
      ) AS "t12"
      GROUP BY
        1,
        2,
        3
    ) AS "t13"
  ) AS "t14"
  GROUP BY
    1
) AS "t15"
