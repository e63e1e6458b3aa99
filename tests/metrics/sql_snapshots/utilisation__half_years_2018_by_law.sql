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
      "t9"."allocation_id",
      "t9"."client_key",
      "t9"."birth_date",
      "t9"."gender",
      "t9"."municipality_code",
      "t9"."law",
      "t9"."product_category",
      "t9"."product_code",
      "t9"."provider_code",
      "t9"."referrer",
      "t9"."delivery_form",
      "t9"."start_date",
      "t9"."end_date",
      "t9"."volume",
      "t9"."unit",
      "t9"."frequency",
      "t9"."g_law",
      "t9"."month",
      "t9"."month_last",
      "t9"."month_days",
      DATE_DIFF(
        'DAY',
        GREATEST("t9"."start_date", "t9"."month", MAKE_DATE(2018, 1, 1)),
        LEAST(
          COALESCE("t9"."end_date", MAKE_DATE(9999, 12, 31)),
          "t9"."month_last",
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
    ) AS "t9"
  ) AS "t13"
)
SELECT
  "t38"."slot",
  "t38"."law",
  "t38"."unit",
  CAST(ROUND("t38"."allocated_volume", 2) AS DOUBLE) AS "allocated_volume",
  CAST(ROUND("t38"."declared_volume", 2) AS DOUBLE) AS "declared_volume",
  CAST(ROUND("t38"."declared_volume" / NULLIF("t38"."allocated_volume", 0), 4) AS DOUBLE) AS "utilisation",
  "t38"."util_allocations",
  "t38"."util_clients"
FROM (
  SELECT
    "t37"."slot",
    "t37"."law",
    "t37"."unit",
    SUM("t37"."allocated_volume") AS "allocated_volume",
    SUM("t37"."declared_volume") AS "declared_volume",
    COUNT(DISTINCT "t37"."allocation_id") AS "util_allocations",
    COUNT(DISTINCT "t37"."client_key") AS "util_clients"
  FROM (
    SELECT
      "t36"."allocation_id",
      "t36"."client_key",
      "t36"."birth_date",
      "t36"."gender",
      "t36"."municipality_code",
      "t36"."g_law" AS "law",
      "t36"."product_category",
      "t36"."product_code",
      "t36"."provider_code",
      "t36"."referrer",
      "t36"."delivery_form",
      "t36"."start_date",
      "t36"."end_date",
      "t36"."volume",
      "t36"."unit",
      "t36"."frequency",
      "t36"."g_law",
      "t36"."month",
      "t36"."month_last",
      "t36"."month_days",
      "t36"."days",
      "t36"."allocated_volume",
      "t36"."declared_volume",
      "t36"."birth",
      "t36"."law_for_age",
      "t36"."slot",
      "t36"."slot_first",
      "t36"."slot_last"
    FROM (
      SELECT
        "t35".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t34"."allocation_id",
          "t34"."client_key",
          "t34"."birth_date",
          "t34"."gender",
          "t34"."municipality_code",
          "t34"."law",
          "t34"."product_category",
          "t34"."product_code",
          "t34"."provider_code",
          "t34"."referrer",
          "t34"."delivery_form",
          "t34"."start_date",
          "t34"."end_date",
          "t34"."volume",
          "t34"."unit",
          "t34"."frequency",
          "t34"."g_law",
          "t34"."month",
          "t34"."month_last",
          "t34"."month_days",
          "t34"."days",
          "t34"."allocated_volume",
          "t34"."declared_volume",
          "t34"."birth",
          "t34"."law_for_age",
          "t34"."slot_index",
          "t8"."slot",
          "t8"."slot_first",
          "t8"."slot_last"
        FROM (
          SELECT
            "t32"."allocation_id",
            "t32"."client_key",
            "t32"."birth_date",
            "t32"."gender",
            "t32"."municipality_code",
            "t32"."law",
            "t32"."product_category",
            "t32"."product_code",
            "t32"."provider_code",
            "t32"."referrer",
            "t32"."delivery_form",
            "t32"."start_date",
            "t32"."end_date",
            "t32"."volume",
            "t32"."unit",
            "t32"."frequency",
            "t32"."g_law",
            "t32"."month",
            "t32"."month_last",
            "t32"."month_days",
            "t32"."days",
            "t32"."allocated_volume",
            "t32"."declared_volume",
            "t32"."birth_date" AS "birth",
            "t32"."law" AS "law_for_age",
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t32"."month") * 12
                    ) + EXTRACT(month FROM "t32"."month")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) AS "slot_index"
          FROM (
            SELECT
              "t31".*
              EXCLUDE ("d_allocation_id", "d_month", "declared")
            FROM (
              SELECT
                "t30"."allocation_id",
                "t30"."client_key",
                "t30"."birth_date",
                "t30"."gender",
                "t30"."municipality_code",
                "t30"."law",
                "t30"."product_category",
                "t30"."product_code",
                "t30"."provider_code",
                "t30"."referrer",
                "t30"."delivery_form",
                "t30"."start_date",
                "t30"."end_date",
                "t30"."volume",
                "t30"."unit",
                "t30"."frequency",
                "t30"."g_law",
                "t30"."month",
                "t30"."month_last",
                "t30"."month_days",
                "t30"."days",
                "t30"."allocated_volume",
                "t30"."d_allocation_id",
                "t30"."d_month",
                "t30"."declared",
                COALESCE("t30"."declared", 0.0) AS "declared_volume"
              FROM (
                SELECT
                  "t21"."allocation_id",
                  "t21"."client_key",
                  "t21"."birth_date",
                  "t21"."gender",
                  "t21"."municipality_code",
                  "t21"."law",
                  "t21"."product_category",
                  "t21"."product_code",
                  "t21"."provider_code",
                  "t21"."referrer",
                  "t21"."delivery_form",
                  "t21"."start_date",
                  "t21"."end_date",
                  "t21"."volume",
                  "t21"."unit",
                  "t21"."frequency",
                  "t21"."g_law",
                  "t21"."month",
                  "t21"."month_last",
                  "t21"."month_days",
                  "t21"."days",
                  "t21"."allocated_volume",
                  "t29"."d_allocation_id",
                  "t29"."d_month",
                  "t29"."declared"
                FROM (
                  SELECT
                    *
                  FROM "t14" AS "t15"
                  WHERE
                    "t15"."allocated_volume" IS NOT NULL
                ) AS "t21"
                LEFT OUTER JOIN (
                  SELECT
                    "t27"."d_allocation_id",
                    "t27"."d_month",
                    SUM(
                      CASE
                        WHEN "t27"."allocation_unit" = '83'
                        THEN "t27"."amount"
                        WHEN "t27"."unit" = "t27"."allocation_unit"
                        THEN "t27"."volume"
                        WHEN (
                          "t27"."unit" = '01'
                        ) AND (
                          "t27"."allocation_unit" = '04'
                        )
                        THEN "t27"."volume" / 60
                        WHEN (
                          "t27"."unit" = '04'
                        ) AND (
                          "t27"."allocation_unit" = '01'
                        )
                        THEN "t27"."volume" * 60
                        ELSE CAST(NULL AS DOUBLE)
                      END
                    ) AS "declared"
                  FROM (
                    SELECT
                      "t26"."allocation_id",
                      "t26"."month",
                      "t26"."unit",
                      "t26"."volume",
                      "t26"."amount",
                      "t22"."d_allocation_id",
                      "t22"."d_month",
                      "t22"."allocation_unit"
                    FROM (
                      SELECT
                        "t24"."allocation_id",
                        MAKE_DATE(
                          CAST(FLOOR((
                            "t24"."month"
                          ) / (
                            12
                          )) AS BIGINT),
                          (
                            "t24"."month" % 12
                          ) + 1,
                          1
                        ) AS "month",
                        "t24"."unit",
                        "t24"."volume",
                        "t24"."amount"
                      FROM (
                        SELECT
                          "t23".*
                          EXCLUDE ("months")
                        FROM (
                          SELECT
                            "t18"."source",
                            "t18"."declaration_id",
                            "t18"."provider_key",
                            "t18"."debit_credit",
                            "t18"."client_key",
                            "t18"."allocation_id",
                            "t18"."law",
                            "t18"."product_category",
                            "t18"."product_code",
                            "t18"."provider_code",
                            "t18"."delivery_form",
                            "t18"."period_start",
                            "t18"."period_end",
                            "t18"."unit",
                            "t18"."status",
                            "t18"."submitted_on",
                            "t18"."submitted_given",
                            "t18"."counted_end",
                            "t18"."days",
                            "t18"."amount" * "t18"."share" AS "amount",
                            "t18"."volume" * "t18"."share" AS "volume",
                            "t18"."month",
                            "t18"."months",
                            "t18"."share"
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
                                ) AS "months",
                                (
                                  DATE_DIFF('DAY', "t3"."period_start", LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1))) + 1
                                ) / CAST(DATE_DIFF('DAY', "t3"."period_start", "t3"."period_end") + 1 AS DOUBLE) AS "share"
                              FROM "declaration_versions" AS "t3"
                              WHERE
                                "t3"."superseded_at" IS NULL
                                AND "t3"."status" = 'toegekend'
                                AND "t3"."period_start" <= MAKE_DATE(2024, 1, 1)
                                AND "t3"."allocation_id" IS NOT NULL
                                AND LEAST("t3"."period_end", MAKE_DATE(2024, 1, 1)) >= MAKE_DATE(2018, 1, 1)
                                AND "t3"."period_start" <= MAKE_DATE(2018, 12, 31)
                                AND (
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
                                  )
                                ) = 0
                            ) AS "t10"
                            UNION ALL
                            SELECT
                              *
                            FROM (
                              SELECT
                                "t16".*
                                EXCLUDE ("month_first", "offset")
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
                                    "t11"."source",
                                    "t11"."declaration_id",
                                    "t11"."provider_key",
                                    "t11"."debit_credit",
                                    "t11"."client_key",
                                    "t11"."allocation_id",
                                    "t11"."law",
                                    "t11"."product_category",
                                    "t11"."product_code",
                                    "t11"."provider_code",
                                    "t11"."delivery_form",
                                    "t11"."period_start",
                                    "t11"."period_end",
                                    "t11"."unit",
                                    "t11"."status",
                                    "t11"."submitted_on",
                                    "t11"."submitted_given",
                                    "t11"."counted_end",
                                    "t11"."days",
                                    "t11"."amount",
                                    "t11"."volume",
                                    "t11"."month",
                                    "t11"."months",
                                    UNNEST(RANGE(0, "t11"."months" + 1, 1)) AS "offset"
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
                                      AND (
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
                                        )
                                      ) > 0
                                  ) AS "t11"
                                ) AS "t12"
                              ) AS "t16"
                            ) AS "t17"
                          ) AS "t18"
                          WHERE
                            "t18"."month" >= 24216 AND "t18"."month" <= 24227
                        ) AS "t23"
                      ) AS "t24"
                    ) AS "t26"
                    INNER JOIN (
                      SELECT DISTINCT
                        "t15"."allocation_id" AS "d_allocation_id",
                        "t15"."month" AS "d_month",
                        "t15"."unit" AS "allocation_unit"
                      FROM "t14" AS "t15"
                      WHERE
                        "t15"."allocated_volume" IS NOT NULL
                    ) AS "t22"
                      ON "t26"."allocation_id" = "t22"."d_allocation_id"
                      AND "t26"."month" = "t22"."d_month"
                  ) AS "t27"
                  GROUP BY
                    1,
                    2
                ) AS "t29"
                  ON "t21"."allocation_id" = "t29"."d_allocation_id"
                  AND "t21"."month" = "t29"."d_month"
              ) AS "t30"
            ) AS "t31"
          ) AS "t32"
          WHERE
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t32"."month") * 12
                    ) + EXTRACT(month FROM "t32"."month")
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
                      EXTRACT(year FROM "t32"."month") * 12
                    ) + EXTRACT(month FROM "t32"."month")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) < 2
        ) AS "t34"
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
          ON "t34"."slot_index" = "t8"."slot_index"
      ) AS "t35"
    ) AS "t36"
  ) AS "t37"
  GROUP BY
    1,
    2,
    3
) AS "t38"
