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
)
SELECT
  "t24"."slot",
  "t24"."inflow",
  "t24"."outflow",
  "t24"."inflow" - "t24"."outflow" AS "net"
FROM (
  SELECT
    "t23"."slot",
    SUM("t23"."inflow") AS "inflow",
    SUM("t23"."outflow") AS "outflow"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t21".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t20"."day",
          "t20"."inflow",
          "t20"."outflow",
          "t20"."slot_index",
          "t6"."slot",
          "t6"."slot_first",
          "t6"."slot_last"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t17"."day",
              "t17"."inflow",
              "t17"."outflow",
              CAST(FLOOR(
                (
                  (
                    (
                      (
                        EXTRACT(year FROM "t17"."day") * 12
                      ) + EXTRACT(month FROM "t17"."day")
                    ) - 1
                  ) - 24216
                ) / (
                  1
                )
              ) AS BIGINT) AS "slot_index"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t12"."day",
                  "t12"."n" AS "inflow",
                  0 AS "outflow"
                FROM (
                  SELECT
                    CAST("t10"."start_date" AS DATE) AS "day",
                    COUNT(*) AS "n"
                  FROM (
                    SELECT
                      "t9"."source",
                      "t9"."benefit_id",
                      "t9"."role",
                      "t9"."client_key",
                      "t9"."birth_date",
                      "t9"."gender",
                      "t9"."regulation",
                      "t9"."household_type",
                      "t9"."cost_sharers",
                      "t9"."start_date",
                      "t9"."end_date",
                      "t9"."municipality_code",
                      "t9"."pc4",
                      "t9"."inflow_reason",
                      "t9"."outflow_reason",
                      "t9"."end_filled",
                      "t9"."birth",
                      "t9"."previous_end",
                      "t9"."last_end",
                      (
                        "t9"."previous_end" IS NULL
                      )
                      OR (
                        (
                          DATE_DIFF('DAY', "t9"."previous_end", "t9"."start_date") - 1
                        ) > 28
                      ) AS "is_new"
                    FROM "t8" AS "t9"
                    WHERE
                      (
                        "t9"."previous_end" IS NULL
                      )
                      OR (
                        (
                          DATE_DIFF('DAY', "t9"."previous_end", "t9"."start_date") - 1
                        ) > 28
                      )
                  ) AS "t10"
                  GROUP BY
                    1
                ) AS "t12"
              ) AS "t14"
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  "t15"."day",
                  0 AS "inflow",
                  "t15"."n" AS "outflow"
                FROM (
                  SELECT
                    "t13"."day",
                    COUNT(*) AS "n"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        CASE
                          WHEN "t9"."previous_end" IS NULL
                          THEN CASE
                            WHEN "t9"."last_end" < MAKE_DATE(9999, 12, 31)
                            THEN "t9"."last_end"
                            ELSE CAST(NULL AS DATE)
                          END
                          ELSE "t9"."previous_end"
                        END AS "day"
                      FROM "t8" AS "t9"
                      WHERE
                        (
                          "t9"."previous_end" IS NULL
                        )
                        OR (
                          (
                            DATE_DIFF('DAY', "t9"."previous_end", "t9"."start_date") - 1
                          ) > 28
                        )
                    ) AS "t11"
                    WHERE
                      "t11"."day" IS NOT NULL
                  ) AS "t13"
                  GROUP BY
                    1
                ) AS "t15"
              ) AS "t16"
            ) AS "t17"
          ) AS "t18"
          WHERE
            "t18"."slot_index" >= 0 AND "t18"."slot_index" < 12
        ) AS "t20"
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
          ON "t20"."slot_index" = "t6"."slot_index"
      ) AS "t21"
    ) AS "t22"
  ) AS "t23"
  GROUP BY
    1
) AS "t24"
