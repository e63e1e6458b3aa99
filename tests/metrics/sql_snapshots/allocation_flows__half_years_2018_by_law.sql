SELECT
  "t21"."slot",
  "t21"."law",
  "t21"."inflow",
  "t21"."outflow",
  "t21"."inflow" - "t21"."outflow" AS "net"
FROM (
  SELECT
    "t20"."slot",
    "t20"."law",
    SUM("t20"."inflow_n") AS "inflow",
    SUM("t20"."outflow_n") AS "outflow"
  FROM (
    SELECT
      "t19"."slot",
      "t19"."slot_last",
      "t19"."birth",
      "t19"."law_for_age",
      "t19"."g_law",
      "t19"."inflow_n",
      "t19"."outflow_n",
      "t19"."g_law" AS "law"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t14"."slot",
          "t14"."slot_last",
          "t14"."birth",
          "t14"."law_for_age",
          "t14"."g_law",
          1 AS "inflow_n",
          0 AS "outflow_n"
        FROM (
          SELECT
            "t13".*
            EXCLUDE ("slot_index")
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
              "t10"."g_law",
              "t10"."start",
              "t10"."end",
              "t10"."birth",
              "t10"."law_for_age",
              "t10"."slot_index",
              "t5"."slot",
              "t5"."slot_first",
              "t5"."slot_last"
            FROM (
              SELECT
                *
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
                  "t0"."law" AS "g_law",
                  "t0"."start_date" AS "start",
                  CASE
                    WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                    THEN CAST(NULL AS DATE)
                    ELSE "t0"."end_date"
                  END AS "end",
                  "t0"."birth_date" AS "birth",
                  "t0"."law" AS "law_for_age",
                  CAST(FLOOR(
                    (
                      (
                        (
                          (
                            EXTRACT(year FROM "t0"."start_date") * 12
                          ) + EXTRACT(month FROM "t0"."start_date")
                        ) - 1
                      ) - 24216
                    ) / (
                      6
                    )
                  ) AS BIGINT) AS "slot_index"
                FROM "allocation_versions" AS "t0"
                WHERE
                  "t0"."superseded_at" IS NULL
                  AND NOT (
                    "t0"."is_deleted"
                  )
                  AND "t0"."start_date" <= MAKE_DATE(2024, 1, 1)
              ) AS "t7"
              WHERE
                "t7"."slot_index" >= 0 AND "t7"."slot_index" < 2
            ) AS "t10"
            INNER JOIN (
              SELECT
                "t1"."slot",
                "t1"."slot_first",
                "t1"."slot_last",
                ROW_NUMBER() OVER (
                  ORDER BY "t1"."slot_first" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) - 1 AS "slot_index"
              FROM "memtable_1" AS "t1"
            ) AS "t5"
              ON "t10"."slot_index" = "t5"."slot_index"
          ) AS "t13"
        ) AS "t14"
      ) AS "t16"
      UNION ALL
      SELECT
        *
      FROM (
        SELECT
          "t17"."slot",
          "t17"."slot_last",
          "t17"."birth",
          "t17"."law_for_age",
          "t17"."g_law",
          0 AS "inflow_n",
          1 AS "outflow_n"
        FROM (
          SELECT
            "t15".*
            EXCLUDE ("slot_index")
          FROM (
            SELECT
              "t12"."allocation_id",
              "t12"."client_key",
              "t12"."birth_date",
              "t12"."gender",
              "t12"."municipality_code",
              "t12"."law",
              "t12"."product_category",
              "t12"."product_code",
              "t12"."provider_code",
              "t12"."referrer",
              "t12"."delivery_form",
              "t12"."start_date",
              "t12"."end_date",
              "t12"."g_law",
              "t12"."start",
              "t12"."end",
              "t12"."birth",
              "t12"."law_for_age",
              "t12"."slot_index",
              "t6"."slot",
              "t6"."slot_first",
              "t6"."slot_last"
            FROM (
              SELECT
                *
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
                  "t0"."law" AS "g_law",
                  "t0"."start_date" AS "start",
                  CASE
                    WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                    THEN CAST(NULL AS DATE)
                    ELSE "t0"."end_date"
                  END AS "end",
                  "t0"."birth_date" AS "birth",
                  "t0"."law" AS "law_for_age",
                  CAST(FLOOR(
                    (
                      (
                        (
                          (
                            EXTRACT(year FROM CASE
                              WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                              THEN CAST(NULL AS DATE)
                              ELSE "t0"."end_date"
                            END) * 12
                          ) + EXTRACT(month FROM CASE
                            WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                            THEN CAST(NULL AS DATE)
                            ELSE "t0"."end_date"
                          END)
                        ) - 1
                      ) - 24216
                    ) / (
                      6
                    )
                  ) AS BIGINT) AS "slot_index"
                FROM "allocation_versions" AS "t0"
                WHERE
                  "t0"."superseded_at" IS NULL
                  AND NOT (
                    "t0"."is_deleted"
                  )
                  AND "t0"."start_date" <= MAKE_DATE(2024, 1, 1)
                  AND CASE
                    WHEN "t0"."end_date" > MAKE_DATE(2024, 1, 1)
                    THEN CAST(NULL AS DATE)
                    ELSE "t0"."end_date"
                  END IS NOT NULL
              ) AS "t8"
              WHERE
                "t8"."slot_index" >= 0 AND "t8"."slot_index" < 2
            ) AS "t12"
            INNER JOIN (
              SELECT
                "t2"."slot",
                "t2"."slot_first",
                "t2"."slot_last",
                ROW_NUMBER() OVER (
                  ORDER BY "t2"."slot_first" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) - 1 AS "slot_index"
              FROM "memtable_2" AS "t2"
            ) AS "t6"
              ON "t12"."slot_index" = "t6"."slot_index"
          ) AS "t15"
        ) AS "t17"
      ) AS "t18"
    ) AS "t19"
  ) AS "t20"
  GROUP BY
    1,
    2
) AS "t21"
