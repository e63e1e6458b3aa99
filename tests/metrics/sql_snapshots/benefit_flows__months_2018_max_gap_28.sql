SELECT
  "t31"."slot",
  "t31"."inflow",
  "t31"."outflow",
  "t31"."inflow" - "t31"."outflow" AS "net"
FROM (
  SELECT
    "t30"."slot",
    SUM("t30"."inflow_n") AS "inflow",
    SUM("t30"."outflow_n") AS "outflow"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t26"."slot",
        1 AS "inflow_n",
        0 AS "outflow_n"
      FROM (
        SELECT
          "t24".*
          EXCLUDE ("slot_index")
        FROM (
          SELECT
            "t22"."client_key",
            "t22"."episode_start",
            "t22"."birth",
            "t22"."inflow_reason",
            "t22"."outflow_reason",
            "t22"."episode_end",
            "t22"."previous_end",
            "t22"."slot_index",
            "t8"."slot",
            "t8"."slot_first",
            "t8"."slot_last"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t17"."client_key",
                "t17"."episode_start",
                "t17"."birth",
                "t17"."inflow_reason",
                "t17"."outflow_reason",
                "t17"."episode_end",
                "t17"."previous_end",
                CAST(FLOOR(
                  (
                    (
                      (
                        (
                          EXTRACT(year FROM "t17"."episode_start") * 12
                        ) + EXTRACT(month FROM "t17"."episode_start")
                      ) - 1
                    ) - 24216
                  ) / (
                    1
                  )
                ) AS BIGINT) AS "slot_index"
              FROM (
                SELECT
                  "t16".*
                  EXCLUDE ("end_filled")
                FROM (
                  SELECT
                    "t15"."client_key",
                    "t15"."episode_start",
                    "t15"."end_filled",
                    "t15"."birth",
                    "t15"."inflow_reason",
                    "t15"."outflow_reason",
                    "t15"."episode_end",
                    LAG("t15"."episode_end") OVER (
                      PARTITION BY "t15"."client_key"
                      ORDER BY "t15"."episode_start" ASC
                      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                    ) AS "previous_end"
                  FROM (
                    SELECT
                      "t14"."client_key",
                      "t14"."episode_start",
                      "t14"."end_filled",
                      "t14"."birth",
                      "t14"."inflow_reason",
                      "t14"."outflow_reason",
                      CASE
                        WHEN "t14"."end_filled" = MAKE_DATE(9999, 12, 31)
                        THEN CAST(NULL AS DATE)
                        ELSE "t14"."end_filled"
                      END AS "episode_end"
                    FROM (
                      SELECT
                        "t13"."client_key",
                        "t13"."episode_start",
                        MAX("t13"."end_filled") AS "end_filled",
                        MIN("t13"."birth_date") AS "birth",
                        FIRST("t13"."inflow_reason" ORDER BY "t13"."start_date") AS "inflow_reason",
                        FIRST("t13"."outflow_reason" ORDER BY "t13"."end_filled" DESC) AS "outflow_reason"
                      FROM (
                        SELECT
                          "t12".*
                          EXCLUDE ("previous_end")
                        FROM (
                          SELECT
                            "t11"."source",
                            "t11"."benefit_id",
                            "t11"."role",
                            "t11"."client_key",
                            "t11"."birth_date",
                            "t11"."gender",
                            "t11"."regulation",
                            "t11"."household_type",
                            "t11"."cost_sharers",
                            "t11"."start_date",
                            "t11"."end_date",
                            "t11"."municipality_code",
                            "t11"."pc4",
                            "t11"."inflow_reason",
                            "t11"."outflow_reason",
                            "t11"."end_filled",
                            "t11"."previous_end",
                            MAX(
                              CASE
                                WHEN (
                                  "t11"."previous_end" IS NULL
                                )
                                OR (
                                  (
                                    DATE_DIFF('DAY', "t11"."previous_end", "t11"."start_date") - 1
                                  ) > 28
                                )
                                THEN "t11"."start_date"
                                ELSE CAST(NULL AS DATE)
                              END
                            ) OVER (
                              PARTITION BY "t11"."client_key"
                              ORDER BY "t11"."start_date" ASC, "t11"."end_filled" ASC
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                            ) AS "episode_start"
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
                              MAX("t10"."end_filled") OVER (
                                PARTITION BY "t10"."client_key"
                                ORDER BY "t10"."start_date" ASC, "t10"."end_filled" ASC
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                              ) AS "previous_end"
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
                                COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31)) AS "end_filled"
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
                          ) AS "t11"
                        ) AS "t12"
                      ) AS "t13"
                      GROUP BY
                        1,
                        2
                    ) AS "t14"
                  ) AS "t15"
                ) AS "t16"
              ) AS "t17"
            ) AS "t18"
            WHERE
              "t18"."slot_index" >= 0 AND "t18"."slot_index" < 12
          ) AS "t22"
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
            ON "t22"."slot_index" = "t8"."slot_index"
        ) AS "t24"
      ) AS "t26"
    ) AS "t28"
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        "t27"."slot",
        0 AS "inflow_n",
        1 AS "outflow_n"
      FROM (
        SELECT
          "t25".*
          EXCLUDE ("slot_index")
        FROM (
          SELECT
            "t23"."client_key",
            "t23"."episode_start",
            "t23"."birth",
            "t23"."inflow_reason",
            "t23"."outflow_reason",
            "t23"."episode_end",
            "t23"."previous_end",
            "t23"."slot_index",
            "t9"."slot",
            "t9"."slot_first",
            "t9"."slot_last"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t17"."client_key",
                "t17"."episode_start",
                "t17"."birth",
                "t17"."inflow_reason",
                "t17"."outflow_reason",
                "t17"."episode_end",
                "t17"."previous_end",
                CAST(FLOOR(
                  (
                    (
                      (
                        (
                          EXTRACT(year FROM "t17"."episode_end") * 12
                        ) + EXTRACT(month FROM "t17"."episode_end")
                      ) - 1
                    ) - 24216
                  ) / (
                    1
                  )
                ) AS BIGINT) AS "slot_index"
              FROM (
                SELECT
                  "t16".*
                  EXCLUDE ("end_filled")
                FROM (
                  SELECT
                    "t15"."client_key",
                    "t15"."episode_start",
                    "t15"."end_filled",
                    "t15"."birth",
                    "t15"."inflow_reason",
                    "t15"."outflow_reason",
                    "t15"."episode_end",
                    LAG("t15"."episode_end") OVER (
                      PARTITION BY "t15"."client_key"
                      ORDER BY "t15"."episode_start" ASC
                      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                    ) AS "previous_end"
                  FROM (
                    SELECT
                      "t14"."client_key",
                      "t14"."episode_start",
                      "t14"."end_filled",
                      "t14"."birth",
                      "t14"."inflow_reason",
                      "t14"."outflow_reason",
                      CASE
                        WHEN "t14"."end_filled" = MAKE_DATE(9999, 12, 31)
                        THEN CAST(NULL AS DATE)
                        ELSE "t14"."end_filled"
                      END AS "episode_end"
                    FROM (
                      SELECT
                        "t13"."client_key",
                        "t13"."episode_start",
                        MAX("t13"."end_filled") AS "end_filled",
                        MIN("t13"."birth_date") AS "birth",
                        FIRST("t13"."inflow_reason" ORDER BY "t13"."start_date") AS "inflow_reason",
                        FIRST("t13"."outflow_reason" ORDER BY "t13"."end_filled" DESC) AS "outflow_reason"
                      FROM (
                        SELECT
                          "t12".*
                          EXCLUDE ("previous_end")
                        FROM (
                          SELECT
                            "t11"."source",
                            "t11"."benefit_id",
                            "t11"."role",
                            "t11"."client_key",
                            "t11"."birth_date",
                            "t11"."gender",
                            "t11"."regulation",
                            "t11"."household_type",
                            "t11"."cost_sharers",
                            "t11"."start_date",
                            "t11"."end_date",
                            "t11"."municipality_code",
                            "t11"."pc4",
                            "t11"."inflow_reason",
                            "t11"."outflow_reason",
                            "t11"."end_filled",
                            "t11"."previous_end",
                            MAX(
                              CASE
                                WHEN (
                                  "t11"."previous_end" IS NULL
                                )
                                OR (
                                  (
                                    DATE_DIFF('DAY', "t11"."previous_end", "t11"."start_date") - 1
                                  ) > 28
                                )
                                THEN "t11"."start_date"
                                ELSE CAST(NULL AS DATE)
                              END
                            ) OVER (
                              PARTITION BY "t11"."client_key"
                              ORDER BY "t11"."start_date" ASC, "t11"."end_filled" ASC
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                            ) AS "episode_start"
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
                              MAX("t10"."end_filled") OVER (
                                PARTITION BY "t10"."client_key"
                                ORDER BY "t10"."start_date" ASC, "t10"."end_filled" ASC
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                              ) AS "previous_end"
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
                                COALESCE("t5"."end_date", MAKE_DATE(9999, 12, 31)) AS "end_filled"
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
                          ) AS "t11"
                        ) AS "t12"
                      ) AS "t13"
                      GROUP BY
                        1,
                        2
                    ) AS "t14"
                  ) AS "t15"
                ) AS "t16"
              ) AS "t17"
              WHERE
                "t17"."episode_end" IS NOT NULL
            ) AS "t19"
            WHERE
              "t19"."slot_index" >= 0 AND "t19"."slot_index" < 12
          ) AS "t23"
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
            ON "t23"."slot_index" = "t9"."slot_index"
        ) AS "t25"
      ) AS "t27"
    ) AS "t29"
  ) AS "t30"
  GROUP BY
    1
) AS "t31"
