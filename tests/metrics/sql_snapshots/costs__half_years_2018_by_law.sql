SELECT
  "t20"."slot",
  "t20"."law",
  "t20"."amount",
  "t20"."paid_clients",
  CAST(ROUND("t20"."amount" / NULLIF("t20"."paid_clients", 0), 2) AS DOUBLE) AS "cost_per_client",
  "t20"."client_months",
  CAST(ROUND("t20"."amount" / NULLIF("t20"."client_months", 0), 2) AS DOUBLE) AS "cost_per_client_month"
FROM (
  SELECT
    "t19".*
    EXCLUDE ("slot_index")
  FROM (
    SELECT
      "t18"."slot_index",
      "t18"."g_law" AS "law",
      "t18"."paid_clients",
      "t18"."client_months",
      "t18"."amount",
      "t18"."slot",
      "t18"."slot_last"
    FROM (
      SELECT
        "t17"."slot_index",
        "t17"."g_law",
        "t17"."paid_clients",
        "t17"."client_months",
        "t17"."amount",
        "t2"."slot",
        "t2"."slot_last"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t14"."slot_index",
            "t14"."g_law",
            SUM(CAST("t14"."amount" > 1e-06 AS BIGINT)) AS "paid_clients",
            SUM("t14"."positive_months") AS "client_months",
            CAST(CAST(ROUND(CAST(SUM("t14"."amount") AS DECIMAL(18, 6)), 2) AS DECIMAL(18, 2)) AS DOUBLE) AS "amount"
          FROM (
            SELECT
              "t13"."slot_index",
              "t13"."client_key",
              "t13"."g_law",
              SUM(CAST("t13"."amount" > 1e-06 AS BIGINT)) AS "positive_months",
              SUM("t13"."amount") AS "amount"
            FROM (
              SELECT
                "t12"."month",
                "t12"."client_key",
                "t12"."g_law",
                "t12"."amount",
                CAST(FLOOR((
                  "t12"."month" - 24216
                ) / (
                  6
                )) AS BIGINT) AS "slot_index"
              FROM (
                SELECT
                  "t11"."month",
                  "t11"."client_key",
                  "t11"."g_law",
                  SUM("t11"."amount") AS "amount"
                FROM (
                  SELECT
                    "t10".*
                    EXCLUDE ("months")
                  FROM (
                    SELECT
                      "t9"."source",
                      "t9"."declaration_id",
                      "t9"."provider_key",
                      "t9"."debit_credit",
                      "t9"."client_key",
                      "t9"."allocation_id",
                      "t9"."law",
                      "t9"."product_category",
                      "t9"."product_code",
                      "t9"."provider_code",
                      "t9"."delivery_form",
                      "t9"."period_start",
                      "t9"."period_end",
                      "t9"."unit",
                      "t9"."status",
                      "t9"."submitted_on",
                      "t9"."submitted_given",
                      "t9"."counted_end",
                      "t9"."days",
                      "t9"."amount" * "t9"."share" AS "amount",
                      "t9"."volume" * "t9"."share" AS "volume",
                      "t9"."g_law",
                      "t9"."month",
                      "t9"."months",
                      "t9"."share"
                    FROM (
                      SELECT
                        *
                      FROM (
                        SELECT
                          "t1"."source",
                          "t1"."declaration_id",
                          "t1"."provider_key",
                          "t1"."debit_credit",
                          "t1"."client_key",
                          "t1"."allocation_id",
                          "t1"."law",
                          "t1"."product_category",
                          "t1"."product_code",
                          "t1"."provider_code",
                          "t1"."delivery_form",
                          "t1"."period_start",
                          "t1"."period_end",
                          "t1"."unit",
                          "t1"."status",
                          "t1"."submitted_on",
                          "t1"."submitted_given",
                          "t1"."period_end" AS "counted_end",
                          DATE_DIFF('DAY', "t1"."period_start", "t1"."period_end") + 1 AS "days",
                          CAST("t1"."amount" AS DOUBLE) * CASE WHEN "t1"."debit_credit" = 'C' THEN -1.0 ELSE 1.0 END AS "amount",
                          "t1"."volume" * CASE WHEN "t1"."debit_credit" = 'C' THEN -1.0 ELSE 1.0 END AS "volume",
                          "t1"."law" AS "g_law",
                          (
                            (
                              EXTRACT(year FROM "t1"."period_start") * 12
                            ) + EXTRACT(month FROM "t1"."period_start")
                          ) - 1 AS "month",
                          0 AS "months",
                          CASE
                            WHEN "t1"."period_end" < "t1"."period_end"
                            THEN (
                              DATE_DIFF('DAY', "t1"."period_start", "t1"."period_end") + 1
                            ) / CAST(DATE_DIFF('DAY', "t1"."period_start", "t1"."period_end") + 1 AS DOUBLE)
                            ELSE 1.0
                          END AS "share"
                        FROM "declaration_versions" AS "t1"
                        WHERE
                          "t1"."superseded_at" IS NULL
                          AND "t1"."status" = 'toegekend'
                          AND "t1"."period_end" >= MAKE_DATE(2018, 1, 1)
                          AND "t1"."period_start" <= MAKE_DATE(2018, 12, 31)
                          AND EXTRACT(year FROM "t1"."period_start") = EXTRACT(year FROM "t1"."period_end")
                          AND EXTRACT(month FROM "t1"."period_start") = EXTRACT(month FROM "t1"."period_end")
                      ) AS "t3"
                      UNION ALL
                      SELECT
                        *
                      FROM (
                        SELECT
                          "t7".*
                          EXCLUDE ("month_first")
                        FROM (
                          SELECT
                            "t6".*
                            EXCLUDE ("offset")
                          FROM (
                            SELECT
                              "t5"."source",
                              "t5"."declaration_id",
                              "t5"."provider_key",
                              "t5"."debit_credit",
                              "t5"."client_key",
                              "t5"."allocation_id",
                              "t5"."law",
                              "t5"."product_category",
                              "t5"."product_code",
                              "t5"."provider_code",
                              "t5"."delivery_form",
                              "t5"."period_start",
                              "t5"."period_end",
                              "t5"."unit",
                              "t5"."status",
                              "t5"."submitted_on",
                              "t5"."submitted_given",
                              "t5"."counted_end",
                              "t5"."days",
                              "t5"."amount",
                              "t5"."volume",
                              "t5"."g_law",
                              "t5"."month" + "t5"."offset" AS "month",
                              "t5"."months",
                              "t5"."offset",
                              DATE_TRUNC('MONTH', "t5"."period_start") + TO_MONTHS("t5"."offset") AS "month_first",
                              (
                                DATE_DIFF(
                                  'DAY',
                                  GREATEST(
                                    "t5"."period_start",
                                    DATE_TRUNC('MONTH', "t5"."period_start") + TO_MONTHS("t5"."offset")
                                  ),
                                  LEAST(
                                    "t5"."counted_end",
                                    (
                                      DATE_TRUNC('MONTH', "t5"."period_start") + TO_MONTHS("t5"."offset") + INTERVAL '1' MONTH
                                    ) - INTERVAL '1' DAY
                                  )
                                ) + 1
                              ) / CAST("t5"."days" AS DOUBLE) AS "share"
                            FROM (
                              SELECT
                                "t4"."source",
                                "t4"."declaration_id",
                                "t4"."provider_key",
                                "t4"."debit_credit",
                                "t4"."client_key",
                                "t4"."allocation_id",
                                "t4"."law",
                                "t4"."product_category",
                                "t4"."product_code",
                                "t4"."provider_code",
                                "t4"."delivery_form",
                                "t4"."period_start",
                                "t4"."period_end",
                                "t4"."unit",
                                "t4"."status",
                                "t4"."submitted_on",
                                "t4"."submitted_given",
                                "t4"."counted_end",
                                "t4"."days",
                                "t4"."amount",
                                "t4"."volume",
                                "t4"."g_law",
                                "t4"."month",
                                "t4"."months",
                                UNNEST(RANGE(0, "t4"."months" + 1, 1)) AS "offset"
                              FROM (
                                SELECT
                                  "t1"."source",
                                  "t1"."declaration_id",
                                  "t1"."provider_key",
                                  "t1"."debit_credit",
                                  "t1"."client_key",
                                  "t1"."allocation_id",
                                  "t1"."law",
                                  "t1"."product_category",
                                  "t1"."product_code",
                                  "t1"."provider_code",
                                  "t1"."delivery_form",
                                  "t1"."period_start",
                                  "t1"."period_end",
                                  "t1"."unit",
                                  "t1"."status",
                                  "t1"."submitted_on",
                                  "t1"."submitted_given",
                                  "t1"."period_end" AS "counted_end",
                                  DATE_DIFF('DAY', "t1"."period_start", "t1"."period_end") + 1 AS "days",
                                  CAST("t1"."amount" AS DOUBLE) * CASE WHEN "t1"."debit_credit" = 'C' THEN -1.0 ELSE 1.0 END AS "amount",
                                  "t1"."volume" * CASE WHEN "t1"."debit_credit" = 'C' THEN -1.0 ELSE 1.0 END AS "volume",
                                  "t1"."law" AS "g_law",
                                  (
                                    (
                                      EXTRACT(year FROM "t1"."period_start") * 12
                                    ) + EXTRACT(month FROM "t1"."period_start")
                                  ) - 1 AS "month",
                                  (
                                    (
                                      (
                                        EXTRACT(year FROM "t1"."period_end") * 12
                                      ) + EXTRACT(month FROM "t1"."period_end")
                                    ) - 1
                                  ) - (
                                    (
                                      (
                                        EXTRACT(year FROM "t1"."period_start") * 12
                                      ) + EXTRACT(month FROM "t1"."period_start")
                                    ) - 1
                                  ) AS "months"
                                FROM "declaration_versions" AS "t1"
                                WHERE
                                  "t1"."superseded_at" IS NULL
                                  AND "t1"."status" = 'toegekend'
                                  AND "t1"."period_end" >= MAKE_DATE(2018, 1, 1)
                                  AND "t1"."period_start" <= MAKE_DATE(2018, 12, 31)
                                  AND NOT (
                                    (
                                      EXTRACT(year FROM "t1"."period_start") = EXTRACT(year FROM "t1"."period_end")
                                    )
                                    AND (
                                      EXTRACT(month FROM "t1"."period_start") = EXTRACT(month FROM "t1"."period_end")
                                    )
                                  )
                              ) AS "t4"
                            ) AS "t5"
                          ) AS "t6"
                        ) AS "t7"
                      ) AS "t8"
                    ) AS "t9"
                    WHERE
                      "t9"."month" >= 24216 AND "t9"."month" <= 24227
                  ) AS "t10"
                ) AS "t11"
                GROUP BY
                  1,
                  2,
                  3
              ) AS "t12"
            ) AS "t13"
            GROUP BY
              1,
              2,
              3
          ) AS "t14"
          GROUP BY
            1,
            2
        ) AS "t15"
        WHERE
          (
            "t15"."amount" <> 0
          ) OR (
            "t15"."paid_clients" > 0
          )
      ) AS "t17"
      INNER JOIN "memtable_1" AS "t2"
        ON "t17"."slot_index" = "t2"."slot_index"
    ) AS "t18"
  ) AS "t19"
) AS "t20"
