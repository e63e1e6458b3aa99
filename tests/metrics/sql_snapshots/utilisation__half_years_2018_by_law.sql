WITH "t14" AS (
  SELECT
    "t13"."allocation_id",
    "t13"."client_key",
    "t13"."birth_date",
    "t13"."gender",
    "t13"."municipality_code",
    "t13"."law",
    "t13"."product_category",
    "t13"."product_code",
    "t13"."provider_code",
    "t13"."referrer",
    "t13"."delivery_form",
    "t13"."start_date",
    "t13"."end_date",
    "t13"."volume",
    "t13"."unit",
    "t13"."frequency",
    "t13"."g_law",
    "t13"."month",
    "t13"."month_last",
    "t13"."month_days",
    "t13"."days",
    CASE
      WHEN "t13"."unit" IS NULL
      THEN CAST(NULL AS DOUBLE)
      ELSE CASE REGEXP_REPLACE("t13"."frequency", '^0+', '', 'g')
        WHEN '1'
        THEN CASE WHEN "t13"."unit" = '83' THEN "t13"."volume" / 100 ELSE "t13"."volume" END * CAST("t13"."days" AS DOUBLE)
        WHEN '2'
        THEN (
          CASE WHEN "t13"."unit" = '83' THEN "t13"."volume" / 100 ELSE "t13"."volume" END * CAST("t13"."days" AS DOUBLE)
        ) / 7
        WHEN '4'
        THEN (
          CASE WHEN "t13"."unit" = '83' THEN "t13"."volume" / 100 ELSE "t13"."volume" END * CAST("t13"."days" AS DOUBLE)
        ) / CAST("t13"."month_days" AS DOUBLE)
        WHEN '6'
        THEN (
          CASE WHEN "t13"."unit" = '83' THEN "t13"."volume" / 100 ELSE "t13"."volume" END * CAST("t13"."days" AS DOUBLE)
        ) / CAST(DATE_DIFF('DAY', "t13"."start_date", "t13"."end_date") + 1 AS DOUBLE)
        ELSE CAST(NULL AS DOUBLE)
      END
    END AS "allocated_volume"
  FROM (
    SELECT
      "t11"."allocation_id",
      "t11"."client_key",
      "t11"."birth_date",
      "t11"."gender",
      "t11"."municipality_code",
      "t11"."law",
      "t11"."product_category",
      "t11"."product_code",
      "t11"."provider_code",
      "t11"."referrer",
      "t11"."delivery_form",
      "t11"."start_date",
      "t11"."end_date",
      "t11"."volume",
      "t11"."unit",
      "t11"."frequency",
      "t11"."g_law",
      "t11"."month",
      "t11"."month_last",
      "t11"."month_days",
      DATE_DIFF(
        'DAY',
        GREATEST("t11"."start_date", "t11"."month", MAKE_DATE(2018, 1, 1)),
        LEAST(
          COALESCE("t11"."end_date", MAKE_DATE(9999, 12, 31)),
          "t11"."month_last",
          MAKE_DATE(2018, 12, 31)
        )
      ) + 1 AS "days"
    FROM (
      SELECT
        "t6"."allocation_id",
        "t6"."client_key",
        "t6"."birth_date",
        "t6"."gender",
        "t6"."municipality_code",
        "t6"."law",
        "t6"."product_category",
        "t6"."product_code",
        "t6"."provider_code",
        "t6"."referrer",
        "t6"."delivery_form",
        "t6"."start_date",
        "t6"."end_date",
        "t6"."volume",
        "t6"."unit",
        "t6"."frequency",
        "t6"."g_law",
        "t4"."month",
        "t4"."month_last",
        "t4"."month_days"
      FROM (
        SELECT
          "t1"."allocation_id",
          "t1"."client_key",
          "t1"."birth_date",
          "t1"."gender",
          "t1"."municipality_code",
          "t1"."law",
          "t1"."product_category",
          "t1"."product_code",
          "t1"."provider_code",
          "t1"."referrer",
          "t1"."delivery_form",
          "t1"."start_date",
          "t1"."end_date",
          "t1"."volume",
          "t1"."unit",
          "t1"."frequency",
          "t1"."law" AS "g_law"
        FROM "allocation_versions" AS "t1"
        WHERE
          "t1"."superseded_at" IS NULL
          AND NOT (
            "t1"."is_deleted"
          )
          AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
      ) AS "t6"
      INNER JOIN "memtable_1" AS "t4"
        ON "t6"."start_date" <= "t4"."month_last"
        AND COALESCE("t6"."end_date", MAKE_DATE(9999, 12, 31)) >= "t4"."month"
        AND "t6"."start_date" <= MAKE_DATE(2018, 12, 31)
        AND COALESCE("t6"."end_date", MAKE_DATE(9999, 12, 31)) >= MAKE_DATE(2018, 1, 1)
    ) AS "t11"
  ) AS "t13"
)
SELECT
  "t39"."slot",
  "t39"."law",
  "t39"."unit",
  CAST(ROUND("t39"."allocated_volume", 2) AS DOUBLE) AS "allocated_volume",
  CAST(ROUND("t39"."declared_volume", 2) AS DOUBLE) AS "declared_volume",
  CAST(ROUND("t39"."declared_volume" / NULLIF("t39"."allocated_volume", 0), 4) AS DOUBLE) AS "utilisation",
  "t39"."util_allocations",
  "t39"."util_clients"
FROM (
  SELECT
    "t38"."slot",
    "t38"."law",
    "t38"."unit",
    SUM("t38"."allocated_volume") AS "allocated_volume",
    SUM("t38"."declared_volume") AS "declared_volume",
    COUNT(DISTINCT "t38"."allocation_id") AS "util_allocations",
    COUNT(DISTINCT "t38"."client_key") AS "util_clients"
  FROM (
    SELECT
      "t37"."allocation_id",
      "t37"."client_key",
      "t37"."birth_date",
      "t37"."gender",
      "t37"."municipality_code",
      "t37"."g_law" AS "law",
      "t37"."product_category",
      "t37"."product_code",
      "t37"."provider_code",
      "t37"."referrer",
      "t37"."delivery_form",
      "t37"."start_date",
      "t37"."end_date",
      "t37"."volume",
      "t37"."unit",
      "t37"."frequency",
      "t37"."g_law",
      "t37"."month",
      "t37"."month_last",
      "t37"."month_days",
      "t37"."days",
      "t37"."allocated_volume",
      "t37"."declared_volume",
      "t37"."birth",
      "t37"."law_for_age",
      "t37"."slot",
      "t37"."slot_first",
      "t37"."slot_last"
    FROM (
      SELECT
        "t36".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t35"."allocation_id",
          "t35"."client_key",
          "t35"."birth_date",
          "t35"."gender",
          "t35"."municipality_code",
          "t35"."law",
          "t35"."product_category",
          "t35"."product_code",
          "t35"."provider_code",
          "t35"."referrer",
          "t35"."delivery_form",
          "t35"."start_date",
          "t35"."end_date",
          "t35"."volume",
          "t35"."unit",
          "t35"."frequency",
          "t35"."g_law",
          "t35"."month",
          "t35"."month_last",
          "t35"."month_days",
          "t35"."days",
          "t35"."allocated_volume",
          "t35"."declared_volume",
          "t35"."birth",
          "t35"."law_for_age",
          "t35"."slot_index",
          "t8"."slot",
          "t8"."slot_first",
          "t8"."slot_last"
        FROM (
          SELECT
            "t33"."allocation_id",
            "t33"."client_key",
            "t33"."birth_date",
            "t33"."gender",
            "t33"."municipality_code",
            "t33"."law",
            "t33"."product_category",
            "t33"."product_code",
            "t33"."provider_code",
            "t33"."referrer",
            "t33"."delivery_form",
            "t33"."start_date",
            "t33"."end_date",
            "t33"."volume",
            "t33"."unit",
            "t33"."frequency",
            "t33"."g_law",
            "t33"."month",
            "t33"."month_last",
            "t33"."month_days",
            "t33"."days",
            "t33"."allocated_volume",
            "t33"."declared_volume",
            "t33"."birth_date" AS "birth",
            "t33"."law" AS "law_for_age",
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t33"."month") * 12
                    ) + EXTRACT(month FROM "t33"."month")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) AS "slot_index"
          FROM (
            SELECT
              "t32".*
              EXCLUDE ("d_allocation_id", "d_month", "declared")
            FROM (
              SELECT
                "t31"."allocation_id",
                "t31"."client_key",
                "t31"."birth_date",
                "t31"."gender",
                "t31"."municipality_code",
                "t31"."law",
                "t31"."product_category",
                "t31"."product_code",
                "t31"."provider_code",
                "t31"."referrer",
                "t31"."delivery_form",
                "t31"."start_date",
                "t31"."end_date",
                "t31"."volume",
                "t31"."unit",
                "t31"."frequency",
                "t31"."g_law",
                "t31"."month",
                "t31"."month_last",
                "t31"."month_days",
                "t31"."days",
                "t31"."allocated_volume",
                "t31"."d_allocation_id",
                "t31"."d_month",
                "t31"."declared",
                COALESCE("t31"."declared", 0.0) AS "declared_volume"
              FROM (
                SELECT
                  "t22"."allocation_id",
                  "t22"."client_key",
                  "t22"."birth_date",
                  "t22"."gender",
                  "t22"."municipality_code",
                  "t22"."law",
                  "t22"."product_category",
                  "t22"."product_code",
                  "t22"."provider_code",
                  "t22"."referrer",
                  "t22"."delivery_form",
                  "t22"."start_date",
                  "t22"."end_date",
                  "t22"."volume",
                  "t22"."unit",
                  "t22"."frequency",
                  "t22"."g_law",
                  "t22"."month",
                  "t22"."month_last",
                  "t22"."month_days",
                  "t22"."days",
                  "t22"."allocated_volume",
                  "t30"."d_allocation_id",
                  "t30"."d_month",
                  "t30"."declared"
                FROM (
                  SELECT
                    *
                  FROM "t14" AS "t16"
                  WHERE
                    "t16"."allocated_volume" IS NOT NULL
                ) AS "t22"
                LEFT OUTER JOIN (
                  SELECT
                    "t28"."d_allocation_id",
                    "t28"."d_month",
                    SUM(
                      CASE
                        WHEN "t28"."allocation_unit" = '83'
                        THEN "t28"."amount"
                        WHEN "t28"."unit" = "t28"."allocation_unit"
                        THEN "t28"."volume"
                        WHEN (
                          "t28"."unit" = '01'
                        ) AND (
                          "t28"."allocation_unit" = '04'
                        )
                        THEN "t28"."volume" / 60
                        WHEN (
                          "t28"."unit" = '04'
                        ) AND (
                          "t28"."allocation_unit" = '01'
                        )
                        THEN "t28"."volume" * 60
                        ELSE CAST(NULL AS DOUBLE)
                      END
                    ) AS "declared"
                  FROM (
                    SELECT
                      "t27"."allocation_id",
                      "t27"."month",
                      "t27"."unit",
                      "t27"."volume",
                      "t27"."amount",
                      "t23"."d_allocation_id",
                      "t23"."d_month",
                      "t23"."allocation_unit"
                    FROM (
                      SELECT
                        "t25"."allocation_id",
                        MAKE_DATE(
                          CAST(FLOOR((
                            "t25"."month"
                          ) / (
                            12
                          )) AS BIGINT),
                          (
                            "t25"."month" % 12
                          ) + 1,
                          1
                        ) AS "month",
                        "t25"."unit",
                        "t25"."volume",
                        "t25"."amount"
                      FROM (
                        SELECT
                          "t24".*
                          EXCLUDE ("months")
                        FROM (
                          SELECT
                            "t19"."source",
                            "t19"."declaration_id",
                            "t19"."provider_key",
                            "t19"."debit_credit",
                            "t19"."client_key",
                            "t19"."allocation_id",
                            "t19"."law",
                            "t19"."product_category",
                            "t19"."product_code",
                            "t19"."provider_code",
                            "t19"."delivery_form",
                            "t19"."period_start",
                            "t19"."period_end",
                            "t19"."unit",
                            "t19"."status",
                            "t19"."submitted_on",
                            "t19"."submitted_given",
                            "t19"."counted_end",
                            "t19"."days",
                            "t19"."amount" * "t19"."share" AS "amount",
                            "t19"."volume" * "t19"."share" AS "volume",
                            "t19"."month",
                            "t19"."months",
                            "t19"."share"
                          FROM (
                            SELECT
                              *
                            FROM (
                              SELECT
                                "t3"."source",
                                "t3"."declaration_id",
                                "t3"."provider_key",
                                "t3"."debit_credit",
                                "t3"."client_key",
                                "t3"."allocation_id",
                                "t3"."law",
                                "t3"."product_category",
                                "t3"."product_code",
                                "t3"."provider_code",
                                "t3"."delivery_form",
                                "t3"."period_start",
                                "t3"."period_end",
                                "t3"."unit",
                                "t3"."status",
                                "t3"."submitted_on",
                                "t3"."submitted_given",
                                LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1)) AS "counted_end",
                                DATE_DIFF('DAY', "t3"."period_start", "t3"."period_end") + 1 AS "days",
                                CAST("t3"."amount" AS DOUBLE) * CASE WHEN "t3"."debit_credit" = 'C' THEN -1.0 ELSE 1.0 END AS "amount",
                                "t3"."volume" * CASE WHEN "t3"."debit_credit" = 'C' THEN -1.0 ELSE 1.0 END AS "volume",
                                (
                                  (
                                    EXTRACT(year FROM "t3"."period_start") * 12
                                  ) + EXTRACT(month FROM "t3"."period_start")
                                ) - 1 AS "month",
                                0 AS "months",
                                CASE
                                  WHEN LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1)) < "t3"."period_end"
                                  THEN (
                                    DATE_DIFF('DAY', "t3"."period_start", LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1))) + 1
                                  ) / CAST(DATE_DIFF('DAY', "t3"."period_start", "t3"."period_end") + 1 AS DOUBLE)
                                  ELSE 1.0
                                END AS "share"
                              FROM "declaration_versions" AS "t3"
                              WHERE
                                "t3"."superseded_at" IS NULL
                                AND "t3"."status" = 'toegekend'
                                AND "t3"."period_start" <= MAKE_DATE(2024, 1, 1)
                                AND "t3"."allocation_id" IS NOT NULL
                                AND LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1)) >= MAKE_DATE(2018, 1, 1)
                                AND "t3"."period_start" <= MAKE_DATE(2018, 12, 31)
                                AND EXTRACT(year FROM "t3"."period_start") = EXTRACT(year FROM "t3"."period_end")
                                AND EXTRACT(month FROM "t3"."period_start") = EXTRACT(month FROM "t3"."period_end")
                            ) AS "t9"
                            UNION ALL
                            SELECT
                              *
                            FROM (
                              SELECT
                                "t17".*
                                EXCLUDE ("month_first")
                              FROM (
                                SELECT
                                  "t15".*
                                  EXCLUDE ("offset")
                                FROM (
                                  SELECT
                                    "t12"."source",
                                    "t12"."declaration_id",
                                    "t12"."provider_key",
                                    "t12"."debit_credit",
                                    "t12"."client_key",
                                    "t12"."allocation_id",
                                    "t12"."law",
                                    "t12"."product_category",
                                    "t12"."product_code",
                                    "t12"."provider_code",
                                    "t12"."delivery_form",
                                    "t12"."period_start",
                                    "t12"."period_end",
                                    "t12"."unit",
                                    "t12"."status",
                                    "t12"."submitted_on",
                                    "t12"."submitted_given",
                                    "t12"."counted_end",
                                    "t12"."days",
                                    "t12"."amount",
                                    "t12"."volume",
                                    "t12"."month" + "t12"."offset" AS "month",
                                    "t12"."months",
                                    "t12"."offset",
                                    DATE_TRUNC('MONTH', "t12"."period_start") + TO_MONTHS("t12"."offset") AS "month_first",
                                    (
                                      DATE_DIFF(
                                        'DAY',
                                        GREATEST(
                                          "t12"."period_start",
                                          DATE_TRUNC('MONTH', "t12"."period_start") + TO_MONTHS("t12"."offset")
                                        ),
                                        LEAST(
                                          "t12"."counted_end",
                                          (
                                            DATE_TRUNC('MONTH', "t12"."period_start") + TO_MONTHS("t12"."offset") + INTERVAL '1' MONTH
                                          ) - INTERVAL '1' DAY
                                        )
                                      ) + 1
                                    ) / CAST("t12"."days" AS DOUBLE) AS "share"
                                  FROM (
                                    SELECT
                                      "t10"."source",
                                      "t10"."declaration_id",
                                      "t10"."provider_key",
                                      "t10"."debit_credit",
                                      "t10"."client_key",
                                      "t10"."allocation_id",
                                      "t10"."law",
                                      "t10"."product_category",
                                      "t10"."product_code",
                                      "t10"."provider_code",
                                      "t10"."delivery_form",
                                      "t10"."period_start",
                                      "t10"."period_end",
                                      "t10"."unit",
                                      "t10"."status",
                                      "t10"."submitted_on",
                                      "t10"."submitted_given",
                                      "t10"."counted_end",
                                      "t10"."days",
                                      "t10"."amount",
                                      "t10"."volume",
                                      "t10"."month",
                                      "t10"."months",
                                      UNNEST(RANGE(0, "t10"."months" + 1, 1)) AS "offset"
                                    FROM (
                                      SELECT
                                        "t3"."source",
                                        "t3"."declaration_id",
                                        "t3"."provider_key",
                                        "t3"."debit_credit",
                                        "t3"."client_key",
                                        "t3"."allocation_id",
                                        "t3"."law",
                                        "t3"."product_category",
                                        "t3"."product_code",
                                        "t3"."provider_code",
                                        "t3"."delivery_form",
                                        "t3"."period_start",
                                        "t3"."period_end",
                                        "t3"."unit",
                                        "t3"."status",
                                        "t3"."submitted_on",
                                        "t3"."submitted_given",
                                        LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1)) AS "counted_end",
                                        DATE_DIFF('DAY', "t3"."period_start", "t3"."period_end") + 1 AS "days",
                                        CAST("t3"."amount" AS DOUBLE) * CASE WHEN "t3"."debit_credit" = 'C' THEN -1.0 ELSE 1.0 END AS "amount",
                                        "t3"."volume" * CASE WHEN "t3"."debit_credit" = 'C' THEN -1.0 ELSE 1.0 END AS "volume",
                                        (
                                          (
                                            EXTRACT(year FROM "t3"."period_start") * 12
                                          ) + EXTRACT(month FROM "t3"."period_start")
                                        ) - 1 AS "month",
                                        (
                                          (
                                            (
                                              EXTRACT(year FROM LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1))) * 12
                                            ) + EXTRACT(month FROM LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1)))
                                          ) - 1
                                        ) - (
                                          (
                                            (
                                              EXTRACT(year FROM "t3"."period_start") * 12
                                            ) + EXTRACT(month FROM "t3"."period_start")
                                          ) - 1
                                        ) AS "months"
                                      FROM "declaration_versions" AS "t3"
                                      WHERE
                                        "t3"."superseded_at" IS NULL
                                        AND "t3"."status" = 'toegekend'
                                        AND "t3"."period_start" <= MAKE_DATE(2024, 1, 1)
                                        AND "t3"."allocation_id" IS NOT NULL
                                        AND LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1)) >= MAKE_DATE(2018, 1, 1)
                                        AND "t3"."period_start" <= MAKE_DATE(2018, 12, 31)
                                        AND NOT (
                                          (
                                            EXTRACT(year FROM "t3"."period_start") = EXTRACT(year FROM "t3"."period_end")
                                          )
                                          AND (
                                            EXTRACT(month FROM "t3"."period_start") = EXTRACT(month FROM "t3"."period_end")
                                          )
                                        )
                                    ) AS "t10"
                                  ) AS "t12"
                                ) AS "t15"
                              ) AS "t17"
                            ) AS "t18"
                          ) AS "t19"
                          WHERE
                            "t19"."month" >= 24216 AND "t19"."month" <= 24227
                        ) AS "t24"
                      ) AS "t25"
                    ) AS "t27"
                    INNER JOIN (
                      SELECT DISTINCT
                        "t16"."allocation_id" AS "d_allocation_id",
                        "t16"."month" AS "d_month",
                        "t16"."unit" AS "allocation_unit"
                      FROM "t14" AS "t16"
                      WHERE
                        "t16"."allocated_volume" IS NOT NULL
                    ) AS "t23"
                      ON "t27"."allocation_id" = "t23"."d_allocation_id"
                      AND "t27"."month" = "t23"."d_month"
                  ) AS "t28"
                  GROUP BY
                    1,
                    2
                ) AS "t30"
                  ON "t22"."allocation_id" = "t30"."d_allocation_id"
                  AND "t22"."month" = "t30"."d_month"
              ) AS "t31"
            ) AS "t32"
          ) AS "t33"
          WHERE
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t33"."month") * 12
                    ) + EXTRACT(month FROM "t33"."month")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) >= 0
            AND CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t33"."month") * 12
                    ) + EXTRACT(month FROM "t33"."month")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) < 2
        ) AS "t35"
        INNER JOIN (
          SELECT
            "t0"."slot",
            "t0"."slot_first",
            "t0"."slot_last",
            ROW_NUMBER() OVER (
              ORDER BY "t0"."slot_first" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            ) - 1 AS "slot_index"
          FROM "memtable_2" AS "t0"
        ) AS "t8"
          ON "t35"."slot_index" = "t8"."slot_index"
      ) AS "t36"
    ) AS "t37"
  ) AS "t38"
  GROUP BY
    1,
    2,
    3
) AS "t39"
