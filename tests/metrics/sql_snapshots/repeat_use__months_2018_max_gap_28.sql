SELECT
  "t10"."slot",
  "t10"."clients",
  "t10"."repeat_clients",
  CAST(ROUND("t10"."repeat_clients" / NULLIF("t10"."clients", 0), 4) AS DOUBLE) AS "repeat_share"
FROM (
  SELECT
    "t9"."slot",
    COUNT(DISTINCT "t9"."client_key") AS "clients",
    COUNT(DISTINCT "t9"."client_key") FILTER(WHERE
      "t9"."before") AS "repeat_clients"
  FROM (
    SELECT
      "t8"."client_key",
      "t8"."birth",
      "t8"."slot_name",
      "t8"."flag",
      "t8"."slot",
      "t8"."slot_last",
      "t8"."flag" >= 2 AS "before"
    FROM (
      SELECT
        "t7"."client_key",
        "t7"."birth",
        "t7"."slot_name",
        "t7"."flag",
        "t2"."slot",
        "t2"."slot_last"
      FROM (
        SELECT
          "t5"."client_key",
          "t5"."birth",
          "t5"."__pivoted__"."slot_name" AS "slot_name",
          "t5"."__pivoted__"."flag" AS "flag"
        FROM (
          SELECT
            "t4"."client_key",
            "t4"."birth",
            UNNEST(
              CAST([
                {'slot_name': 's0', 'flag': "t4"."s0"},
                {'slot_name': 's1', 'flag': "t4"."s1"},
                {'slot_name': 's2', 'flag': "t4"."s2"},
                {'slot_name': 's3', 'flag': "t4"."s3"},
                {'slot_name': 's4', 'flag': "t4"."s4"},
                {'slot_name': 's5', 'flag': "t4"."s5"},
                {'slot_name': 's6', 'flag': "t4"."s6"},
                {'slot_name': 's7', 'flag': "t4"."s7"},
                {'slot_name': 's8', 'flag': "t4"."s8"},
                {'slot_name': 's9', 'flag': "t4"."s9"},
                {'slot_name': 's10', 'flag': "t4"."s10"},
                {'slot_name': 's11', 'flag': "t4"."s11"}
              ] AS STRUCT("slot_name" TEXT, "flag" INT)[])
            ) AS "__pivoted__"
          FROM (
            SELECT
              "t3"."client_key",
              MIN("t3"."birth_date") AS "birth",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 1, 31)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 1, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2017, 12, 31)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 1, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s0",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 2, 28)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 2, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 1, 31)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 2, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s1",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 3, 31)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 3, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 2, 28)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 3, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s2",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 4, 30)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 4, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 3, 31)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 4, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s3",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 5, 31)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 5, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 4, 30)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 5, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s4",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 6, 30)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 6, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 5, 31)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 6, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s5",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 7, 31)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 7, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 6, 30)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 7, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s6",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 8, 31)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 8, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 7, 31)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 8, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s7",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 9, 30)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 9, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 8, 31)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 9, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s8",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 10, 31)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 10, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 9, 30)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 10, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s9",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 11, 30)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 11, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 10, 31)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 11, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s10",
              CAST(BOOL_OR(
                CAST((
                  "t3"."start_date" <= MAKE_DATE(2018, 12, 31)
                )
                AND (
                  (
                    "t3"."end_date" IS NULL
                  ) OR (
                    "t3"."end_date" >= MAKE_DATE(2018, 12, 1)
                  )
                ) AS BOOLEAN)
              ) AS TINYINT) + (
                CAST(BOOL_OR(
                  CAST((
                    "t3"."start_date" <= MAKE_DATE(2018, 11, 30)
                  )
                  AND (
                    (
                      "t3"."end_date" IS NULL
                    ) OR (
                      "t3"."end_date" >= MAKE_DATE(2013, 12, 1)
                    )
                  ) AS BOOLEAN)
                ) AS TINYINT) * 2
              ) AS "s11"
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
                END AS "end_date"
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
                    END >= MAKE_DATE(2013, 1, 1)
                  )
                )
            ) AS "t3"
            GROUP BY
              1
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
    1
) AS "t10"
