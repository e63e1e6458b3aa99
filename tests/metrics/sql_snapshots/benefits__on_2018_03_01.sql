WITH "t7" AS (
  SELECT
    *
  FROM (
    SELECT
      "t2"."source",
      "t2"."benefit_id",
      "t2"."regulation",
      "t2"."household_type",
      "t2"."cost_sharers",
      "t2"."start_date",
      "t2"."end_date",
      "t2"."municipality_code",
      "t2"."pc4",
      "t2"."inflow_reason",
      "t2"."outflow_reason",
      'aanvrager' AS "role",
      "t2"."client_key",
      CAST("t2"."birth_date" AS DATE) AS "birth_date",
      "t2"."gender"
    FROM "benefit_versions" AS "t2"
    WHERE
      "t2"."superseded_at" IS NULL
  ) AS "t5"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t2"."source",
      "t2"."benefit_id",
      "t2"."regulation",
      "t2"."household_type",
      "t2"."cost_sharers",
      "t2"."start_date",
      "t2"."end_date",
      "t2"."municipality_code",
      "t2"."pc4",
      "t2"."inflow_reason",
      "t2"."outflow_reason",
      'partner' AS "role",
      "t2"."partner_key" AS "client_key",
      "t2"."partner_birth_date" AS "birth_date",
      "t2"."partner_gender" AS "gender"
    FROM "benefit_versions" AS "t2"
    WHERE
      "t2"."superseded_at" IS NULL AND "t2"."partner_key" IS NOT NULL
  ) AS "t6"
)
SELECT
  *
FROM (
  SELECT
    "t22"."slot",
    COALESCE(SUM("t22"."n") FILTER(WHERE
      "t22"."measure" = 'benefits'), 0) AS "benefits",
    COALESCE(SUM("t22"."n") FILTER(WHERE
      "t22"."measure" = 'persons'), 0) AS "persons"
  FROM (
    SELECT
      "t21"."measure",
      "t21"."slot_name",
      "t21"."n",
      "t3"."slot",
      "t3"."slot_last"
    FROM (
      SELECT
        "t19"."measure",
        "t19"."__pivoted__"."slot_name" AS "slot_name",
        "t19"."__pivoted__"."n" AS "n"
      FROM (
        SELECT
          "t18"."measure",
          UNNEST(
            CAST([{'slot_name': 's0', 'n': "t18"."s0"}] AS STRUCT("slot_name" TEXT, "n" BIGINT)[])
          ) AS "__pivoted__"
        FROM (
          SELECT
            "t17"."measure",
            SUM(CASE WHEN "t17"."word" = 0 THEN (
              "t17"."mask" >> 0
            ) & 1 ELSE 0 END) AS "s0"
          FROM (
            SELECT
              "t16"."measure",
              "t16"."mask_name",
              "t16"."mask",
              "t4"."word"
            FROM (
              SELECT
                "t14"."measure",
                "t14"."__pivoted__"."mask_name" AS "mask_name",
                "t14"."__pivoted__"."mask" AS "mask"
              FROM (
                SELECT
                  "t13"."measure",
                  UNNEST(
                    CAST([{'mask_name': 'c0_w0', 'mask': "t13"."c0_w0"}] AS STRUCT("mask_name" TEXT, "mask" BIGINT)[])
                  ) AS "__pivoted__"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      CASE
                        WHEN GREATEST(CASE WHEN "t8"."start_date" > MAKE_DATE(2018, 3, 1) THEN 1 ELSE 0 END - 0, 0) <= LEAST(
                          (
                            CASE
                              WHEN COALESCE("t8"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 3, 1)
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
                                  WHEN COALESCE("t8"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 3, 1)
                                  THEN 1
                                  ELSE 0
                                END - 1
                              ) - 0,
                              0
                            ) + 1
                          )
                        ) - (
                          CAST(1 AS BIGINT) << GREATEST(CASE WHEN "t8"."start_date" > MAKE_DATE(2018, 3, 1) THEN 1 ELSE 0 END - 0, 0)
                        )
                        ELSE CAST(0 AS BIGINT)
                      END AS "c0_w0",
                      'benefits' AS "measure"
                    FROM "t7" AS "t8"
                    WHERE
                      "t8"."start_date" <= MAKE_DATE(2018, 3, 1)
                      AND (
                        (
                          "t8"."end_date" IS NULL
                        ) OR (
                          "t8"."end_date" >= MAKE_DATE(2018, 3, 1)
                        )
                      )
                      AND "t8"."role" = 'aanvrager'
                  ) AS "t9"
                  UNION ALL
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t11"."c0_w0",
                      'persons' AS "measure"
                    FROM (
                      SELECT
                        "t10"."client_key",
                        BIT_OR("t10"."c0_w0") AS "c0_w0"
                      FROM (
                        SELECT
                          "t8"."client_key",
                          "t8"."role",
                          CASE
                            WHEN GREATEST(CASE WHEN "t8"."start_date" > MAKE_DATE(2018, 3, 1) THEN 1 ELSE 0 END - 0, 0) <= LEAST(
                              (
                                CASE
                                  WHEN COALESCE("t8"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 3, 1)
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
                                      WHEN COALESCE("t8"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 3, 1)
                                      THEN 1
                                      ELSE 0
                                    END - 1
                                  ) - 0,
                                  0
                                ) + 1
                              )
                            ) - (
                              CAST(1 AS BIGINT) << GREATEST(CASE WHEN "t8"."start_date" > MAKE_DATE(2018, 3, 1) THEN 1 ELSE 0 END - 0, 0)
                            )
                            ELSE CAST(0 AS BIGINT)
                          END AS "c0_w0"
                        FROM "t7" AS "t8"
                        WHERE
                          "t8"."start_date" <= MAKE_DATE(2018, 3, 1)
                          AND (
                            (
                              "t8"."end_date" IS NULL
                            ) OR (
                              "t8"."end_date" >= MAKE_DATE(2018, 3, 1)
                            )
                          )
                      ) AS "t10"
                      GROUP BY
                        1
                    ) AS "t11"
                  ) AS "t12"
                ) AS "t13"
              ) AS "t14"
              WHERE
                "t14"."__pivoted__"."mask" <> 0
            ) AS "t16"
            INNER JOIN "memtable_1" AS "t4"
              ON "t16"."mask_name" = "t4"."mask_name"
          ) AS "t17"
          GROUP BY
            1
        ) AS "t18"
      ) AS "t19"
      WHERE
        "t19"."__pivoted__"."n" > 0
    ) AS "t21"
    INNER JOIN "memtable_2" AS "t3"
      ON "t21"."slot_name" = "t3"."slot_name"
  ) AS "t22"
  GROUP BY
    1
) AS "t23"
