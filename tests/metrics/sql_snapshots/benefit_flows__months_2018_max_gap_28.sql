WITH "t11" AS (
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
    MAX("t10"."end_filled") OVER (
      PARTITION BY "t10"."client_key"
      ORDER BY "t10"."start_date" ASC, "t10"."end_filled" ASC
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
    ) AS "previous_end",
    MAX("t10"."end_filled") OVER (
      PARTITION BY "t10"."client_key"
      ORDER BY "t10"."start_date" ASC, "t10"."end_filled" ASC
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
    ) AS "last_end"
  FROM (
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
      COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31)) AS "end_filled",
      "t5"."birth_date" AS "birth"
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
      ) AS "t3"
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
      ) AS "t4"
    ) AS "t5"
  ) AS "t10"
)
SELECT
  "t29"."slot",
  "t29"."inflow",
  "t29"."outflow",
  "t29"."inflow" - "t29"."outflow" AS "net"
FROM (
  SELECT
    "t28"."slot",
    SUM("t28"."inflow_n") AS "inflow",
    SUM("t28"."outflow_n") AS "outflow"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t21"."slot",
        1 AS "inflow_n",
        0 AS "outflow_n"
      FROM (
        SELECT
          "t20".*
          EXCLUDE ("slot_index")
        FROM (
          SELECT
            "t18"."source",
            "t18"."benefit_id",
            "t18"."role",
            "t18"."client_key",
            "t18"."birth_date",
            "t18"."gender",
            "t18"."regulation",
            "t18"."household_type",
            "t18"."cost_sharers",
            "t18"."start_date",
            "t18"."end_date",
            "t18"."municipality_code",
            "t18"."pc4",
            "t18"."inflow_reason",
            "t18"."outflow_reason",
            "t18"."end_filled",
            "t18"."birth",
            "t18"."previous_end",
            "t18"."last_end",
            "t18"."is_new",
            "t18"."day",
            "t18"."slot_index",
            "t8"."slot",
            "t8"."slot_first",
            "t8"."slot_last"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t12"."source",
                "t12"."benefit_id",
                "t12"."role",
                "t12"."client_key",
                "t12"."birth_date",
                "t12"."gender",
                "t12"."regulation",
                "t12"."household_type",
                "t12"."cost_sharers",
                "t12"."start_date",
                "t12"."end_date",
                "t12"."municipality_code",
                "t12"."pc4",
                "t12"."inflow_reason",
                "t12"."outflow_reason",
                "t12"."end_filled",
                "t12"."birth",
                "t12"."previous_end",
                "t12"."last_end",
                (
                  "t12"."previous_end" IS NULL
                )
                OR (
                  (
                    DATE_DIFF('DAY', "t12"."previous_end", "t12"."start_date") - 1
                  ) > 28
                ) AS "is_new",
                "t12"."start_date" AS "day",
                CAST(FLOOR(
                  (
                    (
                      (
                        (
                          EXTRACT(year FROM "t12"."start_date") * 12
                        ) + EXTRACT(month FROM "t12"."start_date")
                      ) - 1
                    ) - 24216
                  ) / (
                    1
                  )
                ) AS BIGINT) AS "slot_index"
              FROM "t11" AS "t12"
              WHERE
                (
                  "t12"."previous_end" IS NULL
                )
                OR (
                  (
                    DATE_DIFF('DAY', "t12"."previous_end", "t12"."start_date") - 1
                  ) > 28
                )
            ) AS "t16"
            WHERE
              "t16"."slot_index" >= 0 AND "t16"."slot_index" < 12
          ) AS "t18"
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
          ) AS "t8"
            ON "t18"."slot_index" = "t8"."slot_index"
        ) AS "t20"
      ) AS "t21"
    ) AS "t23"
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        "t26"."slot",
        0 AS "inflow_n",
        1 AS "outflow_n"
      FROM (
        SELECT
          "t25".*
          EXCLUDE ("slot_index")
        FROM (
          SELECT
            "t24"."source",
            "t24"."benefit_id",
            "t24"."role",
            "t24"."client_key",
            "t24"."birth_date",
            "t24"."gender",
            "t24"."regulation",
            "t24"."household_type",
            "t24"."cost_sharers",
            "t24"."start_date",
            "t24"."end_date",
            "t24"."municipality_code",
            "t24"."pc4",
            "t24"."inflow_reason",
            "t24"."outflow_reason",
            "t24"."end_filled",
            "t24"."birth",
            "t24"."previous_end",
            "t24"."last_end",
            "t24"."is_new",
            "t24"."day",
            "t24"."slot_index",
            "t9"."slot",
            "t9"."slot_first",
            "t9"."slot_last"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t15"."source",
                "t15"."benefit_id",
                "t15"."role",
                "t15"."client_key",
                "t15"."birth_date",
                "t15"."gender",
                "t15"."regulation",
                "t15"."household_type",
                "t15"."cost_sharers",
                "t15"."start_date",
                "t15"."end_date",
                "t15"."municipality_code",
                "t15"."pc4",
                "t15"."inflow_reason",
                "t15"."outflow_reason",
                "t15"."end_filled",
                "t15"."birth",
                "t15"."previous_end",
                "t15"."last_end",
                "t15"."is_new",
                "t15"."day",
                CAST(FLOOR(
                  (
                    (
                      (
                        (
                          EXTRACT(year FROM "t15"."day") * 12
                        ) + EXTRACT(month FROM "t15"."day")
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
                    "t12"."source",
                    "t12"."benefit_id",
                    "t12"."role",
                    "t12"."client_key",
                    "t12"."birth_date",
                    "t12"."gender",
                    "t12"."regulation",
                    "t12"."household_type",
                    "t12"."cost_sharers",
                    "t12"."start_date",
                    "t12"."end_date",
                    "t12"."municipality_code",
                    "t12"."pc4",
                    "t12"."inflow_reason",
                    "t12"."outflow_reason",
                    "t12"."end_filled",
                    "t12"."birth",
                    "t12"."previous_end",
                    "t12"."last_end",
                    (
                      "t12"."previous_end" IS NULL
                    )
                    OR (
                      (
                        DATE_DIFF('DAY', "t12"."previous_end", "t12"."start_date") - 1
                      ) > 28
                    ) AS "is_new",
                    "t12"."previous_end" AS "day"
                  FROM "t11" AS "t12"
                  WHERE
                    (
                      (
                        "t12"."previous_end" IS NULL
                      )
                      OR (
                        (
                          DATE_DIFF('DAY', "t12"."previous_end", "t12"."start_date") - 1
                        ) > 28
                      )
                    )
                    AND "t12"."previous_end" IS NOT NULL
                ) AS "t13"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t12"."source",
                    "t12"."benefit_id",
                    "t12"."role",
                    "t12"."client_key",
                    "t12"."birth_date",
                    "t12"."gender",
                    "t12"."regulation",
                    "t12"."household_type",
                    "t12"."cost_sharers",
                    "t12"."start_date",
                    "t12"."end_date",
                    "t12"."municipality_code",
                    "t12"."pc4",
                    "t12"."inflow_reason",
                    "t12"."outflow_reason",
                    "t12"."end_filled",
                    "t12"."birth",
                    "t12"."previous_end",
                    "t12"."last_end",
                    (
                      "t12"."previous_end" IS NULL
                    )
                    OR (
                      (
                        DATE_DIFF('DAY', "t12"."previous_end", "t12"."start_date") - 1
                      ) > 28
                    ) AS "is_new",
                    "t12"."last_end" AS "day"
                  FROM "t11" AS "t12"
                  WHERE
                    "t12"."previous_end" IS NULL AND "t12"."last_end" < MAKE_DATE(9999, 12, 31)
                ) AS "t14"
              ) AS "t15"
            ) AS "t19"
            WHERE
              "t19"."slot_index" >= 0 AND "t19"."slot_index" < 12
          ) AS "t24"
          INNER JOIN (
            SELECT
              "t1"."slot",
              "t1"."slot_first",
              "t1"."slot_last",
              ROW_NUMBER() OVER (
                ORDER BY "t1"."slot_first" ASC
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
              ) - 1 AS "slot_index"
            FROM "memtable_2" AS "t1"
          ) AS "t9"
            ON "t24"."slot_index" = "t9"."slot_index"
        ) AS "t25"
      ) AS "t26"
    ) AS "t27"
  ) AS "t28"
  GROUP BY
    1
) AS "t29"
