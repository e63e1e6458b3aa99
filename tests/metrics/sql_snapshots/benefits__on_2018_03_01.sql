WITH "t6" AS (
  SELECT
    "t5"."source",
    "t5"."benefit_id",
    "t5"."role",
    "t5"."client_key",
    "t5"."birth_date",
    "t5"."gender",
    "t5"."regulation",
    "t5"."household_type",
    "t5"."cost_sharers",
    "t5"."start_date",
    "t5"."end_date",
    "t5"."municipality_code",
    "t5"."pc4",
    "t5"."inflow_reason",
    "t5"."outflow_reason",
    CAST(FLOOR(
      (
        GREATEST(
          (
            (
              (
                (
                  CAST(EXTRACT(year FROM "t5"."start_date") AS BIGINT) * 12
                ) + CAST(EXTRACT(month FROM "t5"."start_date") AS BIGINT)
              ) - 1
            ) + CAST(EXTRACT(day FROM "t5"."start_date") > 1 AS BIGINT)
          ) - 24218,
          0
        ) + 0
      ) / (
        1
      )
    ) AS BIGINT) AS "first_index",
    CASE
      WHEN (
        (
          (
            (
              CAST(EXTRACT(year FROM COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31))) AS BIGINT) * 12
            ) + CAST(EXTRACT(month FROM COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31))) AS BIGINT)
          ) - 1
        ) - 24218
      ) < 0
      THEN -1
      ELSE LEAST(
        CAST(FLOOR(
          (
            (
              (
                (
                  CAST(EXTRACT(year FROM COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31))) AS BIGINT) * 12
                ) + CAST(EXTRACT(month FROM COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31))) AS BIGINT)
              ) - 1
            ) - 24218
          ) / (
            1
          )
        ) AS BIGINT),
        0
      )
    END AS "last_index"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t1"."source",
        "t1"."benefit_id",
        "t1"."regulation",
        "t1"."household_type",
        "t1"."cost_sharers",
        "t1"."start_date",
        "t1"."end_date",
        "t1"."municipality_code",
        "t1"."pc4",
        "t1"."inflow_reason",
        "t1"."outflow_reason",
        'aanvrager' AS "role",
        "t1"."client_key",
        CAST("t1"."birth_date" AS DATE) AS "birth_date",
        "t1"."gender"
      FROM "benefit_versions" AS "t1"
      WHERE
        "t1"."superseded_at" IS NULL
    ) AS "t3"
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        "t1"."source",
        "t1"."benefit_id",
        "t1"."regulation",
        "t1"."household_type",
        "t1"."cost_sharers",
        "t1"."start_date",
        "t1"."end_date",
        "t1"."municipality_code",
        "t1"."pc4",
        "t1"."inflow_reason",
        "t1"."outflow_reason",
        'partner' AS "role",
        "t1"."partner_key" AS "client_key",
        "t1"."partner_birth_date" AS "birth_date",
        "t1"."partner_gender" AS "gender"
      FROM "benefit_versions" AS "t1"
      WHERE
        "t1"."superseded_at" IS NULL AND "t1"."partner_key" IS NOT NULL
    ) AS "t4"
  ) AS "t5"
  WHERE
    "t5"."start_date" <= MAKE_DATE(2018, 3, 1)
    AND (
      (
        "t5"."end_date" IS NULL
      ) OR (
        "t5"."end_date" >= MAKE_DATE(2018, 3, 1)
      )
    )
)
SELECT
  *
FROM (
  SELECT
    "t17"."slot",
    COALESCE(SUM("t17"."n") FILTER(WHERE
      "t17"."measure" = 'benefits'), 0) AS "benefits",
    COALESCE(SUM("t17"."n") FILTER(WHERE
      "t17"."measure" = 'persons'), 0) AS "persons"
  FROM (
    SELECT
      "t16"."measure",
      "t16"."slot_name",
      "t16"."n",
      "t2"."slot",
      "t2"."slot_last"
    FROM (
      SELECT
        "t14"."measure",
        "t14"."__pivoted__"."slot_name" AS "slot_name",
        "t14"."__pivoted__"."n" AS "n"
      FROM (
        SELECT
          "t13"."measure",
          UNNEST(
            CAST([{'slot_name': 's0', 'n': "t13"."s0"}] AS STRUCT("slot_name" TEXT, "n" BIGINT)[])
          ) AS "__pivoted__"
        FROM (
          SELECT
            "t12"."measure",
            SUM((
              "t12"."mask" >> 0
            ) & 1) AS "s0"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                CASE
                  WHEN "t7"."first_index" <= "t7"."last_index"
                  THEN (
                    CAST(1 AS BIGINT) << (
                      "t7"."last_index" + 1
                    )
                  ) - (
                    CAST(1 AS BIGINT) << "t7"."first_index"
                  )
                  ELSE CAST(0 AS BIGINT)
                END AS "mask",
                'benefits' AS "measure"
              FROM "t6" AS "t7"
              WHERE
                "t7"."role" = 'aanvrager'
            ) AS "t8"
            UNION ALL
            SELECT
              *
            FROM (
              SELECT
                "t10"."mask",
                'persons' AS "measure"
              FROM (
                SELECT
                  "t9"."client_key",
                  BIT_OR("t9"."mask") AS "mask"
                FROM (
                  SELECT
                    "t7"."client_key",
                    "t7"."role",
                    CASE
                      WHEN "t7"."first_index" <= "t7"."last_index"
                      THEN (
                        CAST(1 AS BIGINT) << (
                          "t7"."last_index" + 1
                        )
                      ) - (
                        CAST(1 AS BIGINT) << "t7"."first_index"
                      )
                      ELSE CAST(0 AS BIGINT)
                    END AS "mask"
                  FROM "t6" AS "t7"
                ) AS "t9"
                GROUP BY
                  1
              ) AS "t10"
            ) AS "t11"
          ) AS "t12"
          GROUP BY
            1
        ) AS "t13"
      ) AS "t14"
      WHERE
        "t14"."__pivoted__"."n" > 0
    ) AS "t16"
    INNER JOIN "memtable_1" AS "t2"
      ON "t16"."slot_name" = "t2"."slot_name"
  ) AS "t17"
  GROUP BY
    1
) AS "t18"
