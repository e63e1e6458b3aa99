SELECT
  *
FROM (
  SELECT
    "t15"."slot",
    COALESCE(SUM("t15"."n") FILTER(WHERE
      "t15"."measure" = 'provisions'), 0) AS "provisions"
  FROM (
    SELECT
      "t14"."measure",
      "t14"."slot_name",
      "t14"."n",
      "t3"."slot",
      "t3"."slot_last"
    FROM (
      SELECT
        "t12"."measure",
        "t12"."__pivoted__"."slot_name" AS "slot_name",
        "t12"."__pivoted__"."n" AS "n"
      FROM (
        SELECT
          "t11"."measure",
          UNNEST(
            CAST([{'slot_name': 's0', 'n': "t11"."s0"}] AS STRUCT("slot_name" TEXT, "n" BIGINT)[])
          ) AS "__pivoted__"
        FROM (
          SELECT
            "t10"."measure",
            SUM(CASE WHEN "t10"."word" = 0 THEN (
              "t10"."mask" >> 0
            ) & 1 ELSE 0 END) AS "s0"
          FROM (
            SELECT
              "t9"."measure",
              "t9"."mask_name",
              "t9"."mask",
              "t4"."word"
            FROM (
              SELECT
                "t7"."measure",
                "t7"."__pivoted__"."mask_name" AS "mask_name",
                "t7"."__pivoted__"."mask" AS "mask"
              FROM (
                SELECT
                  "t6"."measure",
                  UNNEST(
                    CAST([{'mask_name': 'c0_w0', 'mask': "t6"."c0_w0"}] AS STRUCT("mask_name" TEXT, "mask" BIGINT)[])
                  ) AS "__pivoted__"
                FROM (
                  SELECT
                    CASE
                      WHEN GREATEST("t5"."first_index" - 0, 0) <= LEAST("t5"."last_index" - 0, 0)
                      THEN (
                        CAST(1 AS BIGINT) << (
                          LEAST("t5"."last_index" - 0, 0) + 1
                        )
                      ) - (
                        CAST(1 AS BIGINT) << GREATEST("t5"."first_index" - 0, 0)
                      )
                      ELSE CAST(0 AS BIGINT)
                    END AS "c0_w0",
                    'provisions' AS "measure"
                  FROM (
                    SELECT
                      "t2"."source",
                      "t2"."provision_id",
                      "t2"."client_key",
                      "t2"."birth_date",
                      "t2"."provision_type",
                      "t2"."start_date",
                      "t2"."end_date",
                      "t2"."municipality_code",
                      "t2"."pc4",
                      'aanvrager' AS "role",
                      CASE WHEN "t2"."start_date" > MAKE_DATE(2018, 3, 1) THEN 1 ELSE 0 END AS "first_index",
                      CASE
                        WHEN COALESCE("t2"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 3, 1)
                        THEN 1
                        ELSE 0
                      END - 1 AS "last_index"
                    FROM "reintegration_versions" AS "t2"
                    WHERE
                      "t2"."superseded_at" IS NULL
                      AND "t2"."start_date" <= MAKE_DATE(2018, 3, 1)
                      AND (
                        (
                          "t2"."end_date" IS NULL
                        ) OR (
                          "t2"."end_date" >= MAKE_DATE(2018, 3, 1)
                        )
                      )
                  ) AS "t5"
                ) AS "t6"
              ) AS "t7"
              WHERE
                "t7"."__pivoted__"."mask" <> 0
            ) AS "t9"
            INNER JOIN "memtable_1" AS "t4"
              ON "t9"."mask_name" = "t4"."mask_name"
          ) AS "t10"
          GROUP BY
            1
        ) AS "t11"
      ) AS "t12"
      WHERE
        "t12"."__pivoted__"."n" > 0
    ) AS "t14"
    INNER JOIN "memtable_2" AS "t3"
      ON "t14"."slot_name" = "t3"."slot_name"
  ) AS "t15"
  GROUP BY
    1
) AS "t16"
