SELECT
  "t19"."slot",
  "t19"."clients",
  "t19"."outflow_clients",
  CAST(ROUND("t19"."outflow_clients" / NULLIF("t19"."clients", 0), 4) AS DOUBLE) AS "outflow_rate"
FROM (
  SELECT
    "t18"."slot",
    COUNT(*) AS "clients",
    SUM(CAST(NOT (
      "t18"."stays"
    ) AS BIGINT)) AS "outflow_clients"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t16"."slot",
        "t16"."client_key",
        BOOL_OR(CAST("t16"."present" AS BOOLEAN)) AS "present",
        BOOL_OR(CAST("t16"."stays" AS BOOLEAN)) AS "stays"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t5"."client_key",
              "t2"."slot",
              "t2"."slot_last",
              "t5"."birth_date" AS "birth",
              "t5"."law" AS "law_for_age",
              TRUE AS "present",
              FALSE AS "stays"
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
            INNER JOIN "memtable_1" AS "t2"
              ON "t5"."start_date" <= "t2"."slot_last"
              AND (
                (
                  "t5"."end_date" IS NULL
                ) OR (
                  "t5"."end_date" >= "t2"."slot_first"
                )
              )
          ) AS "t7"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t13"."client_key",
              "t2"."slot",
              "t2"."slot_last",
              "t13"."birth",
              "t13"."law_for_age",
              FALSE AS "present",
              TRUE AS "stays"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t10"."client_key",
                  "t10"."episode",
                  "t10"."episode_start",
                  CASE
                    WHEN "t10"."episode_end" = MAKE_DATE(9999, 12, 31)
                    THEN CAST(NULL AS DATE)
                    ELSE "t10"."episode_end"
                  END AS "episode_end",
                  "t10"."birth",
                  "t10"."law_for_age"
                FROM (
                  SELECT
                    "t9"."client_key",
                    "t9"."episode",
                    MIN("t9"."start_date") AS "episode_start",
                    MAX("t9"."end_filled") AS "episode_end",
                    MIN("t9"."birth_date") AS "birth",
                    MIN("t9"."law") AS "law_for_age"
                  FROM (
                    SELECT
                      "t8"."allocation_id",
                      "t8"."client_key",
                      "t8"."birth_date",
                      "t8"."gender",
                      "t8"."municipality_code",
                      "t8"."law",
                      "t8"."product_category",
                      "t8"."product_code",
                      "t8"."provider_code",
                      "t8"."referrer",
                      "t8"."delivery_form",
                      "t8"."start_date",
                      "t8"."end_date",
                      "t8"."end_filled",
                      "t8"."previous_end",
                      "t8"."new_episode",
                      SUM("t8"."new_episode") OVER (
                        PARTITION BY "t8"."client_key"
                        ORDER BY "t8"."start_date" ASC, "t8"."end_filled" ASC
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
                    ) AS "t8"
                  ) AS "t9"
                  GROUP BY
                    1,
                    2
                ) AS "t10"
              ) AS "t11"
              WHERE
                "t11"."episode_start" <= MAKE_DATE(2018, 12, 31)
                AND (
                  (
                    "t11"."episode_end" IS NULL
                  )
                  OR (
                    "t11"."episode_end" >= MAKE_DATE(2018, 1, 1)
                  )
                )
            ) AS "t13"
            INNER JOIN "memtable_1" AS "t2"
              ON "t13"."episode_start" <= "t2"."slot_last"
              AND (
                (
                  "t13"."episode_end" IS NULL
                ) OR (
                  "t13"."episode_end" > "t2"."slot_last"
                )
              )
          ) AS "t14"
        ) AS "t15"
      ) AS "t16"
      GROUP BY
        1,
        2
    ) AS "t17"
    WHERE
      "t17"."present"
  ) AS "t18"
  GROUP BY
    1
) AS "t19"
