SELECT
  "t10"."slot",
  "t10"."g_law" AS "law",
  "t10"."clients"
FROM (
  SELECT
    "t9"."g_law",
    "t9"."slot_name",
    "t9"."clients",
    "t2"."slot",
    "t2"."slot_last"
  FROM (
    SELECT
      "t7"."g_law",
      "t7"."__pivoted__"."slot_name" AS "slot_name",
      "t7"."__pivoted__"."clients" AS "clients"
    FROM (
      SELECT
        "t6"."g_law",
        UNNEST(
          CAST([
            {'slot_name': 's0', 'clients': "t6"."s0"},
            {'slot_name': 's1', 'clients': "t6"."s1"}
          ] AS STRUCT("slot_name" TEXT, "clients" BIGINT)[])
        ) AS "__pivoted__"
      FROM (
        SELECT
          "t5"."g_law",
          SUM((
            "t5"."m0" >> 0
          ) & 1) AS "s0",
          SUM((
            "t5"."m0" >> 1
          ) & 1) AS "s1"
        FROM (
          SELECT
            "t4"."client_key",
            "t4"."g_law",
            BIT_OR("t4"."m0") AS "m0"
          FROM (
            SELECT
              "t3"."client_key",
              "t3"."g_law",
              CASE
                WHEN GREATEST("t3"."first_index" - 0, 0) <= LEAST("t3"."last_index" - 0, 1)
                THEN (
                  CAST(1 AS BIGINT) << (
                    LEAST("t3"."last_index" - 0, 1) + 1
                  )
                ) - (
                  CAST(1 AS BIGINT) << GREATEST("t3"."first_index" - 0, 0)
                )
                ELSE CAST(0 AS BIGINT)
              END AS "m0"
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
                "t1"."law" AS "g_law",
                GREATEST(
                  CAST(FLOOR(
                    (
                      (
                        (
                          (
                            EXTRACT(year FROM "t1"."start_date") * 12
                          ) + EXTRACT(month FROM "t1"."start_date")
                        ) - 1
                      ) - 24216
                    ) / (
                      6
                    )
                  ) AS BIGINT),
                  -1
                ) AS "first_index",
                LEAST(
                  CAST(FLOOR(
                    (
                      (
                        (
                          (
                            EXTRACT(year FROM COALESCE(
                              CASE
                                WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                                THEN CAST(NULL AS DATE)
                                ELSE "t1"."end_date"
                              END,
                              MAKE_DATE(9999, 12, 31)
                            )) * 12
                          ) + EXTRACT(month FROM COALESCE(
                            CASE
                              WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                              THEN CAST(NULL AS DATE)
                              ELSE "t1"."end_date"
                            END,
                            MAKE_DATE(9999, 12, 31)
                          ))
                        ) - 1
                      ) - 24216
                    ) / (
                      6
                    )
                  ) AS BIGINT),
                  2
                ) AS "last_index"
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
          ) AS "t4"
          GROUP BY
            1,
            2
        ) AS "t5"
        GROUP BY
          1
      ) AS "t6"
    ) AS "t7"
    WHERE
      "t7"."__pivoted__"."clients" > 0
  ) AS "t9"
  INNER JOIN "memtable_1" AS "t2"
    ON "t9"."slot_name" = "t2"."slot_name"
) AS "t10"
