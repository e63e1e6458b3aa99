WITH "t13" AS (
  SELECT
    "t12"."client_key",
    "t12"."law",
    "t12"."episode",
    MIN("t12"."start_date") AS "episode_start",
    MAX("t12"."end_filled") AS "episode_end",
    MIN("t12"."birth_date") AS "birth",
    MIN("t12"."law") AS "law_for_age"
  FROM (
    SELECT
      "t11"."allocation_id",
      "t11"."client_key",
      "t11"."birth_date",
      "t11"."gender",
      "t11"."municipality_code",
      "t11"."law",
      "t11"."product_category",
      "t11"."product_code",
      "t11"."provider_code",
      "t11"."referrer",
      "t11"."delivery_form",
      "t11"."start_date",
      "t11"."end_date",
      "t11"."end_filled",
      "t11"."previous_end",
      "t11"."new_episode",
      SUM("t11"."new_episode") OVER (
        PARTITION BY "t11"."client_key", "t11"."law"
        ORDER BY "t11"."start_date" ASC, "t11"."end_filled" ASC
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "episode"
    FROM (
      SELECT
        "t10"."allocation_id",
        "t10"."client_key",
        "t10"."birth_date",
        "t10"."gender",
        "t10"."municipality_code",
        "t10"."law",
        "t10"."product_category",
        "t10"."product_code",
        "t10"."provider_code",
        "t10"."referrer",
        "t10"."delivery_form",
        "t10"."start_date",
        "t10"."end_date",
        "t10"."end_filled",
        "t10"."previous_end",
        CAST((
          "t10"."previous_end" IS NULL
        )
        OR (
          (
            DATE_DIFF('DAY', "t10"."previous_end", "t10"."start_date") - 1
          ) > 0
        ) AS BIGINT) AS "new_episode"
      FROM (
        SELECT
          "t9"."allocation_id",
          "t9"."client_key",
          "t9"."birth_date",
          "t9"."gender",
          "t9"."municipality_code",
          "t9"."law",
          "t9"."product_category",
          "t9"."product_code",
          "t9"."provider_code",
          "t9"."referrer",
          "t9"."delivery_form",
          "t9"."start_date",
          "t9"."end_date",
          "t9"."end_filled",
          MAX("t9"."end_filled") OVER (
            PARTITION BY "t9"."client_key", "t9"."law"
            ORDER BY "t9"."start_date" ASC, "t9"."end_filled" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
          ) AS "previous_end"
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
            COALESCE("t8"."end_date", MAKE_DATE(9999, 12, 31)) AS "end_filled"
          FROM (
            SELECT
              "t3"."allocation_id",
              "t3"."client_key",
              MIN("t3"."birth_date") OVER (
                PARTITION BY "t3"."client_key"
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
              ) AS "birth_date",
              "t3"."gender",
              "t3"."municipality_code",
              "t3"."law",
              "t3"."product_category",
              "t3"."product_code",
              "t3"."provider_code",
              "t3"."referrer",
              "t3"."delivery_form",
              "t3"."start_date",
              "t3"."end_date"
            FROM (
              SELECT
                "t2"."allocation_id",
                "t2"."client_key",
                "t2"."birth_date",
                "t2"."gender",
                "t2"."municipality_code",
                "t2"."law",
                "t2"."product_category",
                "t2"."product_code",
                "t2"."provider_code",
                "t2"."referrer",
                "t2"."delivery_form",
                "t2"."start_date",
                CASE
                  WHEN "t2"."end_date" > MAKE_DATE(2024, 1, 1)
                  THEN CAST(NULL AS DATE)
                  ELSE "t2"."end_date"
                END AS "end_date"
              FROM "allocation_versions" AS "t2"
              WHERE
                "t2"."superseded_at" IS NULL
                AND NOT (
                  "t2"."is_deleted"
                )
                AND "t2"."start_date" <= MAKE_DATE(2024, 1, 1)
            ) AS "t3"
          ) AS "t8"
        ) AS "t9"
      ) AS "t10"
    ) AS "t11"
  ) AS "t12"
  GROUP BY
    1,
    2,
    3
)
SELECT
  "t30"."slot",
  "t30"."target_group",
  "t30"."inflow",
  "t30"."outflow",
  "t30"."inflow" - "t30"."outflow" AS "net"
FROM (
  SELECT
    "t29"."slot",
    "t29"."target_group",
    SUM("t29"."inflow_n") AS "inflow",
    SUM("t29"."outflow_n") AS "outflow"
  FROM (
    SELECT
      "t28"."slot",
      "t28"."slot_last",
      "t28"."birth",
      "t28"."law_for_age",
      "t28"."inflow_n",
      "t28"."outflow_n",
      CASE
        WHEN (
          "t28"."law_for_age" = 'JW'
        )
        OR (
          (
            (
              EXTRACT(year FROM "t28"."slot_last") - EXTRACT(year FROM "t28"."birth")
            ) - CAST((
              EXTRACT(month FROM "t28"."slot_last") < EXTRACT(month FROM "t28"."birth")
            )
            OR (
              (
                EXTRACT(month FROM "t28"."slot_last") = EXTRACT(month FROM "t28"."birth")
              )
              AND (
                EXTRACT(day FROM "t28"."slot_last") < EXTRACT(day FROM "t28"."birth")
              )
            ) AS BIGINT)
          ) < 18
        )
        THEN 'jeugd'
        ELSE CASE (
            (
              EXTRACT(year FROM "t28"."slot_last") - EXTRACT(year FROM "t28"."birth")
            ) - CAST((
              EXTRACT(month FROM "t28"."slot_last") < EXTRACT(month FROM "t28"."birth")
            )
            OR (
              (
                EXTRACT(month FROM "t28"."slot_last") = EXTRACT(month FROM "t28"."birth")
              )
              AND (
                EXTRACT(day FROM "t28"."slot_last") < EXTRACT(day FROM "t28"."birth")
              )
            ) AS BIGINT)
          ) < 65
          WHEN TRUE
          THEN 'volwassenen'
          WHEN FALSE
          THEN 'ouderen'
          ELSE 'onbekend'
        END
      END AS "target_group"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t22"."slot",
          "t22"."slot_last",
          "t22"."birth",
          "t22"."law_for_age",
          1 AS "inflow_n",
          0 AS "outflow_n"
        FROM (
          SELECT
            "t20".*
            EXCLUDE ("slot_index")
          FROM (
            SELECT
              "t18"."client_key",
              "t18"."law",
              "t18"."episode",
              "t18"."episode_start",
              "t18"."episode_end",
              "t18"."birth",
              "t18"."law_for_age",
              "t18"."start",
              "t18"."end",
              "t18"."slot_index",
              "t6"."slot",
              "t6"."slot_first",
              "t6"."slot_last"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t14"."client_key",
                  "t14"."law",
                  "t14"."episode",
                  "t14"."episode_start",
                  CASE
                    WHEN "t14"."episode_end" = MAKE_DATE(9999, 12, 31)
                    THEN CAST(NULL AS DATE)
                    ELSE "t14"."episode_end"
                  END AS "episode_end",
                  "t14"."birth",
                  "t14"."law_for_age",
                  "t14"."episode_start" AS "start",
                  CASE
                    WHEN "t14"."episode_end" = MAKE_DATE(9999, 12, 31)
                    THEN CAST(NULL AS DATE)
                    ELSE "t14"."episode_end"
                  END AS "end",
                  CAST(FLOOR(
                    (
                      (
                        (
                          (
                            EXTRACT(year FROM "t14"."episode_start") * 12
                          ) + EXTRACT(month FROM "t14"."episode_start")
                        ) - 1
                      ) - 24216
                    ) / (
                      12
                    )
                  ) AS BIGINT) AS "slot_index"
                FROM "t13" AS "t14"
              ) AS "t16"
              WHERE
                "t16"."slot_index" >= 0 AND "t16"."slot_index" < 1
            ) AS "t18"
            INNER JOIN (
              SELECT
                "t0"."slot",
                "t0"."slot_first",
                "t0"."slot_last",
                ROW_NUMBER() OVER (
                  ORDER BY "t0"."slot_first" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) - 1 AS "slot_index"
              FROM "memtable_1" AS "t0"
            ) AS "t6"
              ON "t18"."slot_index" = "t6"."slot_index"
          ) AS "t20"
        ) AS "t22"
      ) AS "t24"
      UNION ALL
      SELECT
        *
      FROM (
        SELECT
          "t26"."slot",
          "t26"."slot_last",
          "t26"."birth",
          "t26"."law_for_age",
          0 AS "inflow_n",
          1 AS "outflow_n"
        FROM (
          SELECT
            "t25".*
            EXCLUDE ("slot_index")
          FROM (
            SELECT
              "t23"."client_key",
              "t23"."law",
              "t23"."episode",
              "t23"."episode_start",
              "t23"."episode_end",
              "t23"."birth",
              "t23"."law_for_age",
              "t23"."start",
              "t23"."end",
              "t23"."slot_index",
              "t7"."slot",
              "t7"."slot_first",
              "t7"."slot_last"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t15"."client_key",
                  "t15"."law",
                  "t15"."episode",
                  "t15"."episode_start",
                  "t15"."episode_end",
                  "t15"."birth",
                  "t15"."law_for_age",
                  "t15"."start",
                  "t15"."end",
                  CAST(FLOOR(
                    (
                      (
                        (
                          (
                            EXTRACT(year FROM "t15"."end") * 12
                          ) + EXTRACT(month FROM "t15"."end")
                        ) - 1
                      ) - 24216
                    ) / (
                      12
                    )
                  ) AS BIGINT) AS "slot_index"
                FROM (
                  SELECT
                    "t14"."client_key",
                    "t14"."law",
                    "t14"."episode",
                    "t14"."episode_start",
                    CASE
                      WHEN "t14"."episode_end" = MAKE_DATE(9999, 12, 31)
                      THEN CAST(NULL AS DATE)
                      ELSE "t14"."episode_end"
                    END AS "episode_end",
                    "t14"."birth",
                    "t14"."law_for_age",
                    "t14"."episode_start" AS "start",
                    CASE
                      WHEN "t14"."episode_end" = MAKE_DATE(9999, 12, 31)
                      THEN CAST(NULL AS DATE)
                      ELSE "t14"."episode_end"
                    END AS "end"
                  FROM "t13" AS "t14"
                  WHERE
                    CASE
                      WHEN "t14"."episode_end" = MAKE_DATE(9999, 12, 31)
                      THEN CAST(NULL AS DATE)
                      ELSE "t14"."episode_end"
                    END IS NOT NULL
                ) AS "t15"
              ) AS "t19"
              WHERE
                "t19"."slot_index" >= 0 AND "t19"."slot_index" < 1
            ) AS "t23"
            INNER JOIN (
              SELECT
                "t1"."slot",
                "t1"."slot_first",
                "t1"."slot_last",
                ROW_NUMBER() OVER (
                  ORDER BY "t1"."slot_first" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) - 1 AS "slot_index"
              FROM "memtable_2" AS "t1"
            ) AS "t7"
              ON "t23"."slot_index" = "t7"."slot_index"
          ) AS "t25"
        ) AS "t26"
      ) AS "t27"
    ) AS "t28"
  ) AS "t29"
  GROUP BY
    1,
    2
) AS "t30"
