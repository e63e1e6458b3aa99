SELECT
  "t9"."slot",
  "t9"."clients"
FROM (
  SELECT
    "t8"."slot_name",
    "t8"."clients",
    "t2"."slot",
    "t2"."slot_last"
  FROM (
    SELECT
      "t6"."__pivoted__"."slot_name" AS "slot_name",
      "t6"."__pivoted__"."clients" AS "clients"
    FROM (
      SELECT
        UNNEST(
          CAST([{'slot_name': 's0', 'clients': "t5"."s0"}] AS STRUCT("slot_name" TEXT, "clients" BIGINT)[])
        ) AS "__pivoted__"
      FROM (
        SELECT
          SUM((
            "t4"."m0" >> 0
          ) & 1) AS "s0"
        FROM (
          SELECT
            "t3"."client_key",
            BIT_OR("t3"."m0") AS "m0"
          FROM (
            SELECT
              "t1"."client_key",
              CASE
                WHEN GREATEST(CASE WHEN "t1"."start_date" > MAKE_DATE(2018, 3, 1) THEN 1 ELSE 0 END - 0, 0) <= LEAST(
                  (
                    CASE
                      WHEN COALESCE(
                        CASE
                          WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                          THEN CAST(NULL AS DATE)
                          ELSE "t1"."end_date"
                        END,
                        MAKE_DATE(9999, 12, 31)
                      ) >= MAKE_DATE(2018, 3, 1)
                      THEN 1
                      ELSE 0
                    END - 1
                  ) - 0,
                  0
                )
                THEN (
                  CAST(1 AS BIGINT) << (
                    LEAST(
                      (
                        CASE
                          WHEN COALESCE(
                            CASE
                              WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                              THEN CAST(NULL AS DATE)
                              ELSE "t1"."end_date"
                            END,
                            MAKE_DATE(9999, 12, 31)
                          ) >= MAKE_DATE(2018, 3, 1)
                          THEN 1
                          ELSE 0
                        END - 1
                      ) - 0,
                      0
                    ) + 1
                  )
                ) - (
                  CAST(1 AS BIGINT) << GREATEST(CASE WHEN "t1"."start_date" > MAKE_DATE(2018, 3, 1) THEN 1 ELSE 0 END - 0, 0)
                )
                ELSE CAST(0 AS BIGINT)
              END AS "m0"
            FROM "allocation_versions" AS "t1"
            WHERE
              "t1"."superseded_at" IS NULL
              AND NOT (
                "t1"."is_deleted"
              )
              AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
              AND "t1"."start_date" <= MAKE_DATE(2018, 3, 1)
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
                  END >= MAKE_DATE(2018, 3, 1)
                )
              )
          ) AS "t3"
          GROUP BY
            1
        ) AS "t4"
      ) AS "t5"
    ) AS "t6"
    WHERE
      "t6"."__pivoted__"."clients" > 0
  ) AS "t8"
  INNER JOIN "memtable_1" AS "t2"
    ON "t8"."slot_name" = "t2"."slot_name"
) AS "t9"
