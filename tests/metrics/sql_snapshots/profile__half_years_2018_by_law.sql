SELECT
  "t10"."slot",
  "t10"."law",
  "t10"."clients",
  CAST(ROUND("t10"."mean_age", 1) AS DOUBLE) AS "mean_age",
  "t10"."men",
  "t10"."women",
  (
    "t10"."clients" - "t10"."men"
  ) - "t10"."women" AS "sex_unknown"
FROM (
  SELECT
    "t9"."slot",
    "t9"."law",
    COUNT(DISTINCT "t9"."client_key") AS "clients",
    AVG("t9"."age") AS "mean_age",
    COUNT(DISTINCT "t9"."client_key") FILTER(WHERE
      "t9"."gender" = '1') AS "men",
    COUNT(DISTINCT "t9"."client_key") FILTER(WHERE
      "t9"."gender" = '2') AS "women"
  FROM (
    SELECT
      "t8"."client_key",
      "t8"."g_law",
      "t8"."birth",
      "t8"."gender",
      "t8"."slot_name",
      "t8"."flag",
      "t8"."slot",
      "t8"."slot_last",
      (
        EXTRACT(year FROM "t8"."slot_last") - EXTRACT(year FROM "t8"."birth")
      ) - CAST((
        EXTRACT(month FROM "t8"."slot_last") < EXTRACT(month FROM "t8"."birth")
      )
      OR (
        (
          EXTRACT(month FROM "t8"."slot_last") = EXTRACT(month FROM "t8"."birth")
        )
        AND (
          EXTRACT(day FROM "t8"."slot_last") < EXTRACT(day FROM "t8"."birth")
        )
      ) AS BIGINT) AS "age",
      "t8"."g_law" AS "law"
    FROM (
      SELECT
        "t7"."client_key",
        "t7"."g_law",
        "t7"."birth",
        "t7"."gender",
        "t7"."slot_name",
        "t7"."flag",
        "t2"."slot",
        "t2"."slot_last"
      FROM (
        SELECT
          "t5"."client_key",
          "t5"."g_law",
          "t5"."birth",
          "t5"."gender",
          "t5"."__pivoted__"."slot_name" AS "slot_name",
          "t5"."__pivoted__"."flag" AS "flag"
        FROM (
          SELECT
            "t4"."client_key",
            "t4"."g_law",
            "t4"."birth",
            "t4"."gender",
            UNNEST(
              CAST([{'slot_name': 's0', 'flag': "t4"."s0"}, {'slot_name': 's1', 'flag': "t4"."s1"}] AS STRUCT("slot_name" TEXT, "flag" TINYINT)[])
            ) AS "__pivoted__"
          FROM (
            SELECT
              "t3"."client_key",
              "t3"."g_law",
              MIN("t3"."birth_date") AS "birth",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 6, 30)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 1, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) AS "s0",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 12, 31)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 7, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) AS "s1",
              MAX("t3"."gender") AS "gender"
            FROM (
              SELECT
                "t1"."allocation_id",
                "t1"."client_key",
                "t1"."birth_date",
                "t1"."gender",
                "t1"."municipality_code",
                "t1"."law",
                "t1"."product_category",
                "t1"."product_code",
                "t1"."provider_code",
                "t1"."referrer",
                "t1"."delivery_form",
                "t1"."start_date",
                CASE
                  WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                  THEN CAST(NULL AS DATE)
                  ELSE "t1"."end_date"
                END AS "end_date",
                "t1"."law" AS "g_law"
              FROM "allocation_versions" AS "t1"
              WHERE
                "t1"."superseded_at" IS NULL
                AND NOT (
                  "t1"."is_deleted"
                )
                AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
                AND "t1"."start_date" <= MAKE_DATE(2018, 12, 31)
                AND (
                  (
                    CASE
                      WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                      THEN CAST(NULL AS DATE)
                      ELSE "t1"."end_date"
                    END IS NULL
                  )
                  OR (
                    CASE
                      WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                      THEN CAST(NULL AS DATE)
                      ELSE "t1"."end_date"
                    END >= MAKE_DATE(2018, 1, 1)
                  )
                )
            ) AS "t3"
            GROUP BY
              1,
              2
          ) AS "t4"
        ) AS "t5"
        WHERE
          (
            "t5"."__pivoted__"."flag" % 2
          ) = 1
      ) AS "t7"
      INNER JOIN "memtable_1" AS "t2"
        ON "t7"."slot_name" = "t2"."slot_name"
    ) AS "t8"
  ) AS "t9"
  GROUP BY
    1,
    2
) AS "t10"
