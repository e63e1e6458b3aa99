SELECT
  "t17"."slot",
  "t17"."inflow",
  "t17"."outflow",
  "t17"."inflow" - "t17"."outflow" AS "net"
FROM (
  SELECT
    "t16"."slot",
    SUM("t16"."kind") AS "inflow",
    SUM(1 - "t16"."kind") AS "outflow"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t14".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t13"."birth",
          "t13"."day",
          "t13"."kind",
          "t13"."slot_index",
          "t6"."slot",
          "t6"."slot_first",
          "t6"."slot_last"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t10"."birth",
              "t10"."event"."day" AS "day",
              "t10"."event"."kind" AS "kind",
              CAST(FLOOR(
                (
                  (
                    (
                      (
                        EXTRACT(year FROM "t10"."event"."day") * 12
                      ) + EXTRACT(month FROM "t10"."event"."day")
                    ) - 1
                  ) - 24216
                ) / (
                  1
                )
              ) AS BIGINT) AS "slot_index"
            FROM (
              SELECT
                "t9"."birth",
                UNNEST(
                  CAST([
                    {'day': CASE WHEN "t9"."is_new" THEN "t9"."start_date" ELSE CAST(NULL AS DATE) END, 'kind': 1},
                    {'day': CASE
                      WHEN "t9"."previous_end" IS NULL
                      THEN CASE
                        WHEN "t9"."last_end" < MAKE_DATE(9999, 12, 31)
                        THEN "t9"."last_end"
                        ELSE CAST(NULL AS DATE)
                      END
                      ELSE CASE WHEN "t9"."is_new" THEN "t9"."previous_end" ELSE CAST(NULL AS DATE) END
                    END, 'kind': 0}
                  ] AS STRUCT("day" DATE, "kind" TINYINT)[])
                ) AS "event"
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
                  ) AS "is_new"
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
                    "t8"."previous_end" IS NULL
                  )
                  OR (
                    (
                      DATE_DIFF('DAY', "t8"."previous_end", "t8"."start_date") - 1
                    ) > 28
                  )
              ) AS "t9"
            ) AS "t10"
            WHERE
              (
                "t10"."event"."day"
              ) IS NOT NULL
          ) AS "t11"
          WHERE
            "t11"."slot_index" >= 0 AND "t11"."slot_index" < 12
        ) AS "t13"
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
          ON "t13"."slot_index" = "t6"."slot_index"
      ) AS "t14"
    ) AS "t15"
  ) AS "t16"
  GROUP BY
    1
) AS "t17"
