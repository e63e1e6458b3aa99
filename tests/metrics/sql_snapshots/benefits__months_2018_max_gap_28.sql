WITH "t8" AS (
  SELECT
    "t7"."source",
    "t7"."benefit_id",
    "t7"."role",
    "t7"."client_key",
    "t7"."birth_date",
    "t7"."gender",
    "t7"."regulation",
    "t7"."household_type",
    "t7"."cost_sharers",
    "t7"."start_date",
    "t7"."end_date",
    "t7"."municipality_code",
    "t7"."pc4",
    "t7"."inflow_reason",
    "t7"."outflow_reason",
    CASE
      WHEN "t7"."start_date" > MAKE_DATE(2018, 7, 1)
      THEN CASE
        WHEN "t7"."start_date" > MAKE_DATE(2018, 10, 1)
        THEN CASE
          WHEN "t7"."start_date" > MAKE_DATE(2018, 12, 1)
          THEN 12
          ELSE CASE WHEN "t7"."start_date" > MAKE_DATE(2018, 11, 1) THEN 11 ELSE 10 END
        END
        ELSE CASE
          WHEN "t7"."start_date" > MAKE_DATE(2018, 9, 1)
          THEN 9
          ELSE CASE WHEN "t7"."start_date" > MAKE_DATE(2018, 8, 1) THEN 8 ELSE 7 END
        END
      END
      ELSE CASE
        WHEN "t7"."start_date" > MAKE_DATE(2018, 4, 1)
        THEN CASE
          WHEN "t7"."start_date" > MAKE_DATE(2018, 6, 1)
          THEN 6
          ELSE CASE WHEN "t7"."start_date" > MAKE_DATE(2018, 5, 1) THEN 5 ELSE 4 END
        END
        ELSE CASE
          WHEN "t7"."start_date" > MAKE_DATE(2018, 2, 1)
          THEN CASE WHEN "t7"."start_date" > MAKE_DATE(2018, 3, 1) THEN 3 ELSE 2 END
          ELSE CASE WHEN "t7"."start_date" > MAKE_DATE(2018, 1, 1) THEN 1 ELSE 0 END
        END
      END
    END AS "first_index",
    CASE
      WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 7, 1)
      THEN CASE
        WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 10, 1)
        THEN CASE
          WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 12, 1)
          THEN 12
          ELSE CASE
            WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 11, 1)
            THEN 11
            ELSE 10
          END
        END
        ELSE CASE
          WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 9, 1)
          THEN 9
          ELSE CASE
            WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 8, 1)
            THEN 8
            ELSE 7
          END
        END
      END
      ELSE CASE
        WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 4, 1)
        THEN CASE
          WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 6, 1)
          THEN 6
          ELSE CASE
            WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 5, 1)
            THEN 5
            ELSE 4
          END
        END
        ELSE CASE
          WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 2, 1)
          THEN CASE
            WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 3, 1)
            THEN 3
            ELSE 2
          END
          ELSE CASE
            WHEN COALESCE("t7"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 1, 1)
            THEN 1
            ELSE 0
          END
        END
      END
    END - 1 AS "last_index"
  FROM (
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
  ) AS "t7"
  WHERE
    "t7"."start_date" <= MAKE_DATE(2018, 12, 1)
    AND (
      (
        "t7"."end_date" IS NULL
      ) OR (
        "t7"."end_date" >= MAKE_DATE(2018, 1, 1)
      )
    )
)
SELECT
  *
FROM (
  SELECT
    "t23"."slot",
    COALESCE(SUM("t23"."n") FILTER(WHERE
      "t23"."measure" = 'benefits'), 0) AS "benefits",
    COALESCE(SUM("t23"."n") FILTER(WHERE
      "t23"."measure" = 'persons'), 0) AS "persons"
  FROM (
    SELECT
      "t22"."measure",
      "t22"."slot_name",
      "t22"."n",
      "t3"."slot",
      "t3"."slot_last"
    FROM (
      SELECT
        "t20"."measure",
        "t20"."__pivoted__"."slot_name" AS "slot_name",
        "t20"."__pivoted__"."n" AS "n"
      FROM (
        SELECT
          "t19"."measure",
          UNNEST(
            CAST([
              {'slot_name': 's0', 'n': "t19"."s0"},
              {'slot_name': 's1', 'n': "t19"."s1"},
              {'slot_name': 's2', 'n': "t19"."s2"},
              {'slot_name': 's3', 'n': "t19"."s3"},
              {'slot_name': 's4', 'n': "t19"."s4"},
              {'slot_name': 's5', 'n': "t19"."s5"},
              {'slot_name': 's6', 'n': "t19"."s6"},
              {'slot_name': 's7', 'n': "t19"."s7"},
              {'slot_name': 's8', 'n': "t19"."s8"},
              {'slot_name': 's9', 'n': "t19"."s9"},
              {'slot_name': 's10', 'n': "t19"."s10"},
              {'slot_name': 's11', 'n': "t19"."s11"}
            ] AS STRUCT("slot_name" TEXT, "n" BIGINT)[])
          ) AS "__pivoted__"
        FROM (
          SELECT
            "t18"."measure",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 0
            ) & 1 ELSE 0 END) AS "s0",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 1
            ) & 1 ELSE 0 END) AS "s1",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 2
            ) & 1 ELSE 0 END) AS "s2",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 3
            ) & 1 ELSE 0 END) AS "s3",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 4
            ) & 1 ELSE 0 END) AS "s4",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 5
            ) & 1 ELSE 0 END) AS "s5",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 6
            ) & 1 ELSE 0 END) AS "s6",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 7
            ) & 1 ELSE 0 END) AS "s7",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 8
            ) & 1 ELSE 0 END) AS "s8",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 9
            ) & 1 ELSE 0 END) AS "s9",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 10
            ) & 1 ELSE 0 END) AS "s10",
            SUM(CASE WHEN "t18"."word" = 0 THEN (
              "t18"."mask" >> 11
            ) & 1 ELSE 0 END) AS "s11"
          FROM (
            SELECT
              "t17"."measure",
              "t17"."mask_name",
              "t17"."mask",
              "t4"."word"
            FROM (
              SELECT
                "t15"."measure",
                "t15"."__pivoted__"."mask_name" AS "mask_name",
                "t15"."__pivoted__"."mask" AS "mask"
              FROM (
                SELECT
                  "t14"."measure",
                  UNNEST(
                    CAST([{'mask_name': 'c0_w0', 'mask': "t14"."c0_w0"}] AS STRUCT("mask_name" TEXT, "mask" BIGINT)[])
                  ) AS "__pivoted__"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      CASE
                        WHEN GREATEST("t9"."first_index" - 0, 0) <= LEAST("t9"."last_index" - 0, 11)
                        THEN (
                          CAST(1 AS BIGINT) << (
                            LEAST("t9"."last_index" - 0, 11) + 1
                          )
                        ) - (
                          CAST(1 AS BIGINT) << GREATEST("t9"."first_index" - 0, 0)
                        )
                        ELSE CAST(0 AS BIGINT)
                      END AS "c0_w0",
                      'benefits' AS "measure"
                    FROM "t8" AS "t9"
                    WHERE
                      "t9"."role" = 'aanvrager'
                  ) AS "t10"
                  UNION ALL
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t12"."c0_w0",
                      'persons' AS "measure"
                    FROM (
                      SELECT
                        "t11"."client_key",
                        BIT_OR("t11"."c0_w0") AS "c0_w0"
                      FROM (
                        SELECT
                          "t9"."client_key",
                          "t9"."role",
                          CASE
                            WHEN GREATEST("t9"."first_index" - 0, 0) <= LEAST("t9"."last_index" - 0, 11)
                            THEN (
                              CAST(1 AS BIGINT) << (
                                LEAST("t9"."last_index" - 0, 11) + 1
                              )
                            ) - (
                              CAST(1 AS BIGINT) << GREATEST("t9"."first_index" - 0, 0)
                            )
                            ELSE CAST(0 AS BIGINT)
                          END AS "c0_w0"
                        FROM "t8" AS "t9"
                      ) AS "t11"
                      GROUP BY
                        1
                    ) AS "t12"
                  ) AS "t13"
                ) AS "t14"
              ) AS "t15"
              WHERE
                "t15"."__pivoted__"."mask" <> 0
            ) AS "t17"
            INNER JOIN "memtable_1" AS "t4"
              ON "t17"."mask_name" = "t4"."mask_name"
          ) AS "t18"
          GROUP BY
            1
        ) AS "t19"
      ) AS "t20"
      WHERE
        "t20"."__pivoted__"."n" > 0
    ) AS "t22"
    INNER JOIN "memtable_2" AS "t3"
      ON "t22"."slot_name" = "t3"."slot_name"
  ) AS "t23"
  GROUP BY
    1
) AS "t24"
