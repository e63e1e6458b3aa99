SELECT
  "t14"."slot",
  "t14"."inflow",
  "t14"."reentries" AS "benefit_reentries",
  CAST(ROUND("t14"."reentries" / NULLIF("t14"."inflow", 0), 4) AS DOUBLE) AS "benefit_reentry_rate"
FROM (
  SELECT
    "t13"."slot",
    COUNT(*) AS "inflow",
    SUM(CAST("t13"."is_reentry" AS BIGINT)) AS "reentries"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t11".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t10"."source",
          "t10"."benefit_id",
          "t10"."role",
          "t10"."client_key",
          "t10"."birth_date",
          "t10"."gender",
          "t10"."regulation",
          "t10"."household_type",
          "t10"."cost_sharers",
          "t10"."start_date",
          "t10"."end_date",
          "t10"."municipality_code",
          "t10"."pc4",
          "t10"."inflow_reason",
          "t10"."outflow_reason",
          "t10"."end_filled",
          "t10"."birth",
          "t10"."previous_end",
          "t10"."last_end",
          "t10"."is_new",
          "t10"."day",
          "t10"."is_reentry",
          "t10"."slot_index",
          "t6"."slot",
          "t6"."slot_first",
          "t6"."slot_last"
        FROM (
          SELECT
            "t8"."source",
            "t8"."benefit_id",
            "t8"."role",
            "t8"."client_key",
            "t8"."birth_date",
            "t8"."gender",
            "t8"."regulation",
            "t8"."household_type",
            "t8"."cost_sharers",
            "t8"."start_date",
            "t8"."end_date",
            "t8"."municipality_code",
            "t8"."pc4",
            "t8"."inflow_reason",
            "t8"."outflow_reason",
            "t8"."end_filled",
            "t8"."birth",
            "t8"."previous_end",
            "t8"."last_end",
            (
              "t8"."previous_end" IS NULL
            )
            OR (
              (
                DATE_DIFF('DAY', "t8"."previous_end", "t8"."start_date") - 1
              ) > 28
            ) AS "is_new",
            "t8"."start_date" AS "day",
            (
              "t8"."previous_end" IS NOT NULL
            )
            AND (
              "t8"."start_date" <= (
                "t8"."previous_end" + INTERVAL '12' MONTH
              )
            ) AS "is_reentry",
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t8"."start_date") * 12
                    ) + EXTRACT(month FROM "t8"."start_date")
                  ) - 1
                ) - 24216
              ) / (
                1
              )
            ) AS BIGINT) AS "slot_index"
          FROM (
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
              "t7"."end_filled",
              "t7"."birth",
              MAX("t7"."end_filled") OVER (
                PARTITION BY "t7"."client_key"
                ORDER BY "t7"."start_date" ASC, "t7"."end_filled" ASC
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
              ) AS "previous_end",
              MAX("t7"."end_filled") OVER (
                PARTITION BY "t7"."client_key"
                ORDER BY "t7"."start_date" ASC, "t7"."end_filled" ASC
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
              ) AS "last_end"
            FROM (
              SELECT
                "t4"."source",
                "t4"."benefit_id",
                "t4"."role",
                "t4"."client_key",
                "t4"."birth_date",
                "t4"."gender",
                "t4"."regulation",
                "t4"."household_type",
                "t4"."cost_sharers",
                "t4"."start_date",
                "t4"."end_date",
                "t4"."municipality_code",
                "t4"."pc4",
                "t4"."inflow_reason",
                "t4"."outflow_reason",
                COALESCE("t4"."end_date", MAKE_DATE(9999, 12, 31)) AS "end_filled",
                "t4"."birth_date" AS "birth"
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
                ) AS "t2"
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
                ) AS "t3"
              ) AS "t4"
            ) AS "t7"
          ) AS "t8"
          WHERE
            (
              (
                "t8"."previous_end" IS NULL
              )
              OR (
                (
                  DATE_DIFF('DAY', "t8"."previous_end", "t8"."start_date") - 1
                ) > 28
              )
            )
            AND CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t8"."start_date") * 12
                    ) + EXTRACT(month FROM "t8"."start_date")
                  ) - 1
                ) - 24216
              ) / (
                1
              )
            ) AS BIGINT) >= 0
            AND CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t8"."start_date") * 12
                    ) + EXTRACT(month FROM "t8"."start_date")
                  ) - 1
                ) - 24216
              ) / (
                1
              )
            ) AS BIGINT) < 12
        ) AS "t10"
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
          ON "t10"."slot_index" = "t6"."slot_index"
      ) AS "t11"
    ) AS "t12"
  ) AS "t13"
  GROUP BY
    1
) AS "t14"
