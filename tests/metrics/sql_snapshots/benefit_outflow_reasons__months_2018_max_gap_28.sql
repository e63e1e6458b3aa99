SELECT
  *
FROM (
  SELECT
    "t20"."slot",
    "t20"."reason_group",
    COUNT(*) AS "outflow"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t18".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t17"."client_key",
          "t17"."episode_start",
          "t17"."birth",
          "t17"."inflow_reason",
          "t17"."episode_end",
          "t17"."outflow_reason",
          "t17"."reason_group",
          "t17"."slot_index",
          "t6"."slot",
          "t6"."slot_first",
          "t6"."slot_last"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t14"."client_key",
              "t14"."episode_start",
              "t14"."birth",
              "t14"."inflow_reason",
              "t14"."episode_end",
              "t14"."outflow_reason",
              CASE
                WHEN "t14"."outflow_reason" IS NULL
                THEN 'onbekend'
                ELSE CASE "t14"."outflow_reason"
                  WHEN '01'
                  THEN 'overig'
                  WHEN '02'
                  THEN 'relatie'
                  WHEN '03'
                  THEN 'andere_uitkering'
                  WHEN '04'
                  THEN 'overig'
                  WHEN '05'
                  THEN 'overig'
                  WHEN '06'
                  THEN 'overig'
                  WHEN '07'
                  THEN 'overig'
                  WHEN '11'
                  THEN 'werk'
                  WHEN '13'
                  THEN 'werk'
                  WHEN '14'
                  THEN 'andere_uitkering'
                  WHEN '15'
                  THEN 'andere_uitkering'
                  WHEN '17'
                  THEN 'overig'
                  WHEN '18'
                  THEN 'overig'
                  WHEN '19'
                  THEN 'overig'
                  WHEN '31'
                  THEN 'overig'
                  WHEN '32'
                  THEN 'verhuizing'
                  WHEN '33'
                  THEN 'verhuizing'
                  WHEN '34'
                  THEN 'overig'
                  WHEN '35'
                  THEN 'overig'
                  WHEN '97'
                  THEN 'overig'
                  WHEN '98'
                  THEN 'overig'
                  ELSE 'overig'
                END
              END AS "reason_group",
              CAST(FLOOR(
                (
                  (
                    (
                      (
                        EXTRACT(year FROM "t14"."episode_end") * 12
                      ) + EXTRACT(month FROM "t14"."episode_end")
                    ) - 1
                  ) - 24216
                ) / (
                  1
                )
              ) AS BIGINT) AS "slot_index"
            FROM (
              SELECT
                "t13".*
                EXCLUDE ("end_filled")
              FROM (
                SELECT
                  "t12".*
                  EXCLUDE ("last_reason")
                FROM (
                  SELECT
                    "t11"."client_key",
                    "t11"."episode_start",
                    "t11"."end_filled",
                    "t11"."birth",
                    "t11"."inflow_reason",
                    "t11"."last_reason",
                    CASE
                      WHEN "t11"."end_filled" = MAKE_DATE(9999, 12, 31)
                      THEN CAST(NULL AS DATE)
                      ELSE "t11"."end_filled"
                    END AS "episode_end",
                    NULLIF(
                      SUBSTRING(
                        "t11"."last_reason",
                        CASE
                          WHEN (
                            10 + 1
                          ) >= 1
                          THEN 10 + 1
                          ELSE 10 + 1 + LENGTH("t11"."last_reason")
                        END
                      ),
                      ''
                    ) AS "outflow_reason"
                  FROM (
                    SELECT
                      "t10"."client_key",
                      "t10"."episode_start",
                      MAX("t10"."end_filled") AS "end_filled",
                      MIN("t10"."birth_date") AS "birth",
                      FIRST("t10"."inflow_reason" ORDER BY "t10"."start_date") AS "inflow_reason",
                      MAX(CAST("t10"."end_filled" AS TEXT) || COALESCE("t10"."outflow_reason", '')) AS "last_reason"
                    FROM (
                      SELECT
                        "t9".*
                        EXCLUDE ("previous_end")
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
                          "t8"."previous_end",
                          MAX(
                            CASE
                              WHEN (
                                "t8"."previous_end" IS NULL
                              )
                              OR (
                                (
                                  DATE_DIFF('DAY', "t8"."previous_end", "t8"."start_date") - 1
                                ) > 28
                              )
                              THEN "t8"."start_date"
                              ELSE CAST(NULL AS DATE)
                            END
                          ) OVER (
                            PARTITION BY "t8"."client_key"
                            ORDER BY "t8"."start_date" ASC, "t8"."end_filled" ASC
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                          ) AS "episode_start"
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
                            MAX("t7"."end_filled") OVER (
                              PARTITION BY "t7"."client_key"
                              ORDER BY "t7"."start_date" ASC, "t7"."end_filled" ASC
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                            ) AS "previous_end"
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
                              COALESCE("t4"."end_date", MAKE_DATE(9999, 12, 31)) AS "end_filled"
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
                      ) AS "t9"
                    ) AS "t10"
                    GROUP BY
                      1,
                      2
                  ) AS "t11"
                ) AS "t12"
              ) AS "t13"
            ) AS "t14"
            WHERE
              "t14"."episode_end" IS NOT NULL
          ) AS "t15"
          WHERE
            "t15"."slot_index" >= 0 AND "t15"."slot_index" < 12
        ) AS "t17"
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
          ON "t17"."slot_index" = "t6"."slot_index"
      ) AS "t18"
    ) AS "t19"
  ) AS "t20"
  GROUP BY
    1,
    2
) AS "t21"
