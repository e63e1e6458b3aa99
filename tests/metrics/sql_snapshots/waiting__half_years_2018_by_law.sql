SELECT
  "t43"."slot",
  "t43"."law",
  "t43"."started",
  CAST(ROUND("t43"."wait_mean_days", 1) AS DOUBLE) AS "wait_mean_days",
  CAST(ROUND("t43"."wait_median_days", 1) AS DOUBLE) AS "wait_median_days",
  CAST(ROUND("t43"."p80_days", 1) AS DOUBLE) AS "p80_days",
  "t43"."within_norm",
  CAST(ROUND((
    "t43"."within_norm" / NULLIF("t43"."started", 0)
  ) * 100, 1) AS DOUBLE) AS "within_norm_share"
FROM (
  SELECT
    "t42"."slot",
    "t42"."law",
    COUNT(*) AS "started",
    AVG(CAST("t42"."wait_days" AS DOUBLE)) AS "wait_mean_days",
    QUANTILE_CONT(CAST("t42"."wait_days" AS DOUBLE), 0.5) AS "wait_median_days",
    QUANTILE_CONT(CAST("t42"."wait_days" AS DOUBLE), 0.8) AS "p80_days",
    SUM(CAST(COALESCE("t42"."wait_days" <= "t42"."norm_days", FALSE) AS BIGINT)) AS "within_norm"
  FROM (
    SELECT
      "t41"."allocation_id",
      "t41"."client_key",
      "t41"."birth_date",
      "t41"."gender",
      "t41"."municipality_code",
      "t41"."g_law" AS "law",
      "t41"."product_category",
      "t41"."product_code",
      "t41"."provider_code",
      "t41"."referrer",
      "t41"."delivery_form",
      "t41"."start_date",
      "t41"."end_date",
      "t41"."source",
      "t41"."decision_date",
      "t41"."first_start",
      "t41"."clock_start",
      "t41"."wait_days",
      "t41"."norm_days",
      "t41"."g_law",
      "t41"."birth",
      "t41"."law_for_age",
      "t41"."slot",
      "t41"."slot_first",
      "t41"."slot_last"
    FROM (
      SELECT
        "t40".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t39"."allocation_id",
          "t39"."client_key",
          "t39"."birth_date",
          "t39"."gender",
          "t39"."municipality_code",
          "t39"."law",
          "t39"."product_category",
          "t39"."product_code",
          "t39"."provider_code",
          "t39"."referrer",
          "t39"."delivery_form",
          "t39"."start_date",
          "t39"."end_date",
          "t39"."source",
          "t39"."decision_date",
          "t39"."first_start",
          "t39"."clock_start",
          "t39"."wait_days",
          "t39"."norm_days",
          "t39"."g_law",
          "t39"."birth",
          "t39"."law_for_age",
          "t39"."slot_index",
          "t8"."slot",
          "t8"."slot_first",
          "t8"."slot_last"
        FROM (
          SELECT
            "t37"."allocation_id",
            "t37"."client_key",
            "t37"."birth_date",
            "t37"."gender",
            "t37"."municipality_code",
            "t37"."law",
            "t37"."product_category",
            "t37"."product_code",
            "t37"."provider_code",
            "t37"."referrer",
            "t37"."delivery_form",
            "t37"."start_date",
            "t37"."end_date",
            "t37"."source",
            "t37"."decision_date",
            "t37"."first_start",
            "t37"."clock_start",
            "t37"."wait_days",
            "t37"."norm_days",
            "t37"."law" AS "g_law",
            "t37"."birth_date" AS "birth",
            "t37"."law" AS "law_for_age",
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t37"."first_start") * 12
                    ) + EXTRACT(month FROM "t37"."first_start")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) AS "slot_index"
          FROM (
            SELECT
              "t36".*
              EXCLUDE ("r_provider")
            FROM (
              SELECT
                "t35".*
                EXCLUDE ("applies_to", "k_applies", "k_category", "k_provider", "law_right", "norm_category", "norm_provider")
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
                  "t30"."source",
                  "t30"."decision_date",
                  "t30"."first_start",
                  "t30"."r_provider",
                  "t30"."clock_start",
                  "t30"."wait_days",
                  "t30"."k_applies",
                  "t30"."k_category",
                  "t30"."k_provider",
                  "t34"."law" AS "law_right",
                  "t34"."applies_to",
                  "t34"."norm_category",
                  "t34"."norm_provider",
                  "t34"."norm_days"
                FROM (
                  SELECT
                    "t26"."allocation_id",
                    "t26"."client_key",
                    "t26"."birth_date",
                    "t26"."gender",
                    "t26"."municipality_code",
                    "t26"."law",
                    "t26"."product_category",
                    "t26"."product_code",
                    "t26"."provider_code",
                    "t26"."referrer",
                    "t26"."delivery_form",
                    "t26"."start_date",
                    "t26"."end_date",
                    "t26"."source",
                    "t26"."decision_date",
                    "t26"."first_start",
                    "t26"."r_provider",
                    GREATEST("t26"."start_date", COALESCE("t26"."decision_date", "t26"."start_date")) AS "clock_start",
                    GREATEST(
                      DATE_DIFF(
                        'DAY',
                        GREATEST("t26"."start_date", COALESCE("t26"."decision_date", "t26"."start_date")),
                        "t26"."first_start"
                      ),
                      0
                    ) AS "wait_days",
                    'waiting' AS "k_applies",
                    COALESCE("t26"."product_category", '') AS "k_category",
                    COALESCE("t26"."r_provider", '') AS "k_provider"
                  FROM (
                    SELECT
                      "t25".*
                      EXCLUDE ("previous_end")
                    FROM (
                      SELECT
                        *
                      FROM (
                        SELECT
                          "t23"."allocation_id",
                          "t23"."client_key",
                          "t23"."birth_date",
                          "t23"."gender",
                          "t23"."municipality_code",
                          "t23"."law",
                          "t23"."product_category",
                          "t23"."product_code",
                          "t23"."provider_code",
                          "t23"."referrer",
                          "t23"."delivery_form",
                          "t23"."start_date",
                          "t23"."end_date",
                          "t23"."source",
                          "t23"."decision_date",
                          "t23"."first_start",
                          "t23"."r_provider",
                          MAX(
                            CASE
                              WHEN "t23"."first_start" IS NOT NULL
                              THEN COALESCE("t23"."end_date", MAKE_DATE(9999, 12, 31))
                              ELSE CAST(NULL AS DATE)
                            END
                          ) OVER (
                            PARTITION BY "t23"."client_key", "t23"."law", "t23"."product_category", "t23"."r_provider"
                            ORDER BY "t23"."start_date" ASC, "t23"."allocation_id" ASC
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                          ) AS "previous_end"
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
                            "t21"."source",
                            "t21"."decision_date",
                            "t21"."first_start",
                            "t21"."r_provider"
                          FROM (
                            SELECT
                              "t16"."allocation_id",
                              "t16"."client_key",
                              "t16"."birth_date",
                              "t16"."gender",
                              "t16"."municipality_code",
                              "t16"."law",
                              "t16"."product_category",
                              "t16"."product_code",
                              "t16"."provider_code",
                              "t16"."referrer",
                              "t16"."delivery_form",
                              "t16"."start_date",
                              "t16"."end_date",
                              "t16"."source",
                              "t16"."decision_date",
                              "t16"."first_start",
                              COALESCE("t16"."provider_code", '') AS "r_provider"
                            FROM (
                              SELECT
                                "t15".*
                                EXCLUDE ("f_allocation", "f_source")
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
                                  "t9"."source",
                                  "t9"."decision_date",
                                  "t12"."f_source",
                                  "t12"."f_allocation",
                                  "t12"."first_start"
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
                                    CASE
                                      WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                                      THEN CAST(NULL AS DATE)
                                      ELSE "t1"."end_date"
                                    END AS "end_date",
                                    "t1"."source",
                                    CASE
                                      WHEN "t1"."decision_date" > MAKE_DATE(2024, 1, 1)
                                      THEN CAST(NULL AS DATE)
                                      ELSE "t1"."decision_date"
                                    END AS "decision_date"
                                  FROM "allocation_versions" AS "t1"
                                  WHERE
                                    "t1"."superseded_at" IS NULL
                                    AND NOT (
                                      "t1"."is_deleted"
                                    )
                                    AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
                                    AND (
                                      (
                                        "t1"."delivery_form" IS NULL
                                      ) OR (
                                        "t1"."delivery_form" = 'ZIN'
                                      )
                                    )
                                    AND (
                                      (
                                        "t1"."product_category" IS NULL
                                      )
                                      OR NOT (
                                        "t1"."product_category" IN ('47', '48')
                                      )
                                    )
                                ) AS "t9"
                                LEFT OUTER JOIN (
                                  SELECT
                                    "t5"."source" AS "f_source",
                                    "t5"."allocation_id" AS "f_allocation",
                                    MIN("t5"."start_date") AS "first_start"
                                  FROM (
                                    SELECT
                                      "t3"."source",
                                      "t3"."allocation_id",
                                      "t3"."start_date",
                                      CASE
                                        WHEN "t3"."end_date" > MAKE_DATE(2024, 1, 1)
                                        THEN CAST(NULL AS DATE)
                                        ELSE "t3"."end_date"
                                      END AS "end_date",
                                      "t3"."end_reason"
                                    FROM "delivery_versions" AS "t3"
                                    WHERE
                                      "t3"."superseded_at" IS NULL AND "t3"."start_date" <= MAKE_DATE(2024, 1, 1)
                                  ) AS "t5"
                                  GROUP BY
                                    1,
                                    2
                                ) AS "t12"
                                  ON "t9"."source" = "t12"."f_source" AND "t9"."allocation_id" = "t12"."f_allocation"
                              ) AS "t15"
                            ) AS "t16"
                          ) AS "t21"
                          SEMI JOIN (
                            SELECT DISTINCT
                              "t16"."source" AS "p_source",
                              COALESCE("t16"."provider_code", '') AS "p_provider",
                              "t16"."law" AS "p_law"
                            FROM (
                              SELECT
                                "t15".*
                                EXCLUDE ("f_allocation", "f_source")
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
                                  "t9"."source",
                                  "t9"."decision_date",
                                  "t12"."f_source",
                                  "t12"."f_allocation",
                                  "t12"."first_start"
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
                                    CASE
                                      WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                                      THEN CAST(NULL AS DATE)
                                      ELSE "t1"."end_date"
                                    END AS "end_date",
                                    "t1"."source",
                                    CASE
                                      WHEN "t1"."decision_date" > MAKE_DATE(2024, 1, 1)
                                      THEN CAST(NULL AS DATE)
                                      ELSE "t1"."decision_date"
                                    END AS "decision_date"
                                  FROM "allocation_versions" AS "t1"
                                  WHERE
                                    "t1"."superseded_at" IS NULL
                                    AND NOT (
                                      "t1"."is_deleted"
                                    )
                                    AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
                                    AND (
                                      (
                                        "t1"."delivery_form" IS NULL
                                      ) OR (
                                        "t1"."delivery_form" = 'ZIN'
                                      )
                                    )
                                    AND (
                                      (
                                        "t1"."product_category" IS NULL
                                      )
                                      OR NOT (
                                        "t1"."product_category" IN ('47', '48')
                                      )
                                    )
                                ) AS "t9"
                                LEFT OUTER JOIN (
                                  SELECT
                                    "t5"."source" AS "f_source",
                                    "t5"."allocation_id" AS "f_allocation",
                                    MIN("t5"."start_date") AS "first_start"
                                  FROM (
                                    SELECT
                                      "t3"."source",
                                      "t3"."allocation_id",
                                      "t3"."start_date",
                                      CASE
                                        WHEN "t3"."end_date" > MAKE_DATE(2024, 1, 1)
                                        THEN CAST(NULL AS DATE)
                                        ELSE "t3"."end_date"
                                      END AS "end_date",
                                      "t3"."end_reason"
                                    FROM "delivery_versions" AS "t3"
                                    WHERE
                                      "t3"."superseded_at" IS NULL AND "t3"."start_date" <= MAKE_DATE(2024, 1, 1)
                                  ) AS "t5"
                                  GROUP BY
                                    1,
                                    2
                                ) AS "t12"
                                  ON "t9"."source" = "t12"."f_source" AND "t9"."allocation_id" = "t12"."f_allocation"
                              ) AS "t15"
                            ) AS "t16"
                            WHERE
                              "t16"."first_start" IS NOT NULL
                          ) AS "t22"
                            ON "t21"."source" = "t22"."p_source"
                            AND "t21"."r_provider" = "t22"."p_provider"
                            AND "t21"."law" = "t22"."p_law"
                        ) AS "t23"
                      ) AS "t24"
                      WHERE
                        NOT (
                          (
                            "t24"."previous_end" IS NOT NULL
                          )
                          AND (
                            DATE_DIFF('DAY', "t24"."previous_end", "t24"."start_date") <= 1
                          )
                        )
                    ) AS "t25"
                  ) AS "t26"
                ) AS "t30"
                LEFT OUTER JOIN (
                  SELECT
                    "t32"."k_law" AS "law",
                    "t32"."k_applies" AS "applies_to",
                    "t32"."norm_category",
                    "t32"."norm_provider",
                    "t32"."norm_days"
                  FROM (
                    SELECT
                      "t31"."k_law",
                      "t31"."k_applies",
                      "t31"."norm_category",
                      "t31"."norm_provider",
                      "t31"."n_law",
                      "t31"."n_applies",
                      "t31"."n_category",
                      "t31"."n_provider",
                      "t31"."norm_days",
                      "t31"."n_loaded",
                      ROW_NUMBER() OVER (
                        PARTITION BY "t31"."k_law", "t31"."k_applies", "t31"."norm_category", "t31"."norm_provider"
                        ORDER BY (
                          CAST("t31"."n_provider" <> '' AS BIGINT) * 2
                        ) + CAST("t31"."n_category" <> '' AS BIGINT) DESC, "t31"."n_loaded" DESC
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                      ) - 1 AS "pick"
                    FROM (
                      SELECT
                        "t28"."k_law",
                        "t28"."k_applies",
                        "t28"."norm_category",
                        "t28"."norm_provider",
                        "t20"."n_law",
                        "t20"."n_applies",
                        "t20"."n_category",
                        "t20"."n_provider",
                        "t20"."norm_days",
                        "t20"."n_loaded"
                      FROM (
                        SELECT DISTINCT
                          "t26"."law" AS "k_law",
                          'waiting' AS "k_applies",
                          COALESCE(COALESCE("t26"."product_category", ''), '') AS "norm_category",
                          COALESCE(COALESCE("t26"."r_provider", ''), '') AS "norm_provider"
                        FROM (
                          SELECT
                            "t25".*
                            EXCLUDE ("previous_end")
                          FROM (
                            SELECT
                              *
                            FROM (
                              SELECT
                                "t23"."allocation_id",
                                "t23"."client_key",
                                "t23"."birth_date",
                                "t23"."gender",
                                "t23"."municipality_code",
                                "t23"."law",
                                "t23"."product_category",
                                "t23"."product_code",
                                "t23"."provider_code",
                                "t23"."referrer",
                                "t23"."delivery_form",
                                "t23"."start_date",
                                "t23"."end_date",
                                "t23"."source",
                                "t23"."decision_date",
                                "t23"."first_start",
                                "t23"."r_provider",
                                MAX(
                                  CASE
                                    WHEN "t23"."first_start" IS NOT NULL
                                    THEN COALESCE("t23"."end_date", MAKE_DATE(9999, 12, 31))
                                    ELSE CAST(NULL AS DATE)
                                  END
                                ) OVER (
                                  PARTITION BY "t23"."client_key", "t23"."law", "t23"."product_category", "t23"."r_provider"
                                  ORDER BY "t23"."start_date" ASC, "t23"."allocation_id" ASC
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                                ) AS "previous_end"
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
                                  "t21"."source",
                                  "t21"."decision_date",
                                  "t21"."first_start",
                                  "t21"."r_provider"
                                FROM (
                                  SELECT
                                    "t16"."allocation_id",
                                    "t16"."client_key",
                                    "t16"."birth_date",
                                    "t16"."gender",
                                    "t16"."municipality_code",
                                    "t16"."law",
                                    "t16"."product_category",
                                    "t16"."product_code",
                                    "t16"."provider_code",
                                    "t16"."referrer",
                                    "t16"."delivery_form",
                                    "t16"."start_date",
                                    "t16"."end_date",
                                    "t16"."source",
                                    "t16"."decision_date",
                                    "t16"."first_start",
                                    COALESCE("t16"."provider_code", '') AS "r_provider"
                                  FROM (
                                    SELECT
                                      "t15".*
                                      EXCLUDE ("f_allocation", "f_source")
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
                                        "t9"."source",
                                        "t9"."decision_date",
                                        "t12"."f_source",
                                        "t12"."f_allocation",
                                        "t12"."first_start"
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
                                          CASE
                                            WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                                            THEN CAST(NULL AS DATE)
                                            ELSE "t1"."end_date"
                                          END AS "end_date",
                                          "t1"."source",
                                          CASE
                                            WHEN "t1"."decision_date" > MAKE_DATE(2024, 1, 1)
                                            THEN CAST(NULL AS DATE)
                                            ELSE "t1"."decision_date"
                                          END AS "decision_date"
                                        FROM "allocation_versions" AS "t1"
                                        WHERE
                                          "t1"."superseded_at" IS NULL
                                          AND NOT (
                                            "t1"."is_deleted"
                                          )
                                          AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
                                          AND (
                                            (
                                              "t1"."delivery_form" IS NULL
                                            ) OR (
                                              "t1"."delivery_form" = 'ZIN'
                                            )
                                          )
                                          AND (
                                            (
                                              "t1"."product_category" IS NULL
                                            )
                                            OR NOT (
                                              "t1"."product_category" IN ('47', '48')
                                            )
                                          )
                                      ) AS "t9"
                                      LEFT OUTER JOIN (
                                        SELECT
                                          "t5"."source" AS "f_source",
                                          "t5"."allocation_id" AS "f_allocation",
                                          MIN("t5"."start_date") AS "first_start"
                                        FROM (
                                          SELECT
                                            "t3"."source",
                                            "t3"."allocation_id",
                                            "t3"."start_date",
                                            CASE
                                              WHEN "t3"."end_date" > MAKE_DATE(2024, 1, 1)
                                              THEN CAST(NULL AS DATE)
                                              ELSE "t3"."end_date"
                                            END AS "end_date",
                                            "t3"."end_reason"
                                          FROM "delivery_versions" AS "t3"
                                          WHERE
                                            "t3"."superseded_at" IS NULL AND "t3"."start_date" <= MAKE_DATE(2024, 1, 1)
                                        ) AS "t5"
                                        GROUP BY
                                          1,
                                          2
                                      ) AS "t12"
                                        ON "t9"."source" = "t12"."f_source" AND "t9"."allocation_id" = "t12"."f_allocation"
                                    ) AS "t15"
                                  ) AS "t16"
                                ) AS "t21"
                                SEMI JOIN (
                                  SELECT DISTINCT
                                    "t16"."source" AS "p_source",
                                    COALESCE("t16"."provider_code", '') AS "p_provider",
                                    "t16"."law" AS "p_law"
                                  FROM (
                                    SELECT
                                      "t15".*
                                      EXCLUDE ("f_allocation", "f_source")
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
                                        "t9"."source",
                                        "t9"."decision_date",
                                        "t12"."f_source",
                                        "t12"."f_allocation",
                                        "t12"."first_start"
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
                                          CASE
                                            WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                                            THEN CAST(NULL AS DATE)
                                            ELSE "t1"."end_date"
                                          END AS "end_date",
                                          "t1"."source",
                                          CASE
                                            WHEN "t1"."decision_date" > MAKE_DATE(2024, 1, 1)
                                            THEN CAST(NULL AS DATE)
                                            ELSE "t1"."decision_date"
                                          END AS "decision_date"
                                        FROM "allocation_versions" AS "t1"
                                        WHERE
                                          "t1"."superseded_at" IS NULL
                                          AND NOT (
                                            "t1"."is_deleted"
                                          )
                                          AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
                                          AND (
                                            (
                                              "t1"."delivery_form" IS NULL
                                            ) OR (
                                              "t1"."delivery_form" = 'ZIN'
                                            )
                                          )
                                          AND (
                                            (
                                              "t1"."product_category" IS NULL
                                            )
                                            OR NOT (
                                              "t1"."product_category" IN ('47', '48')
                                            )
                                          )
                                      ) AS "t9"
                                      LEFT OUTER JOIN (
                                        SELECT
                                          "t5"."source" AS "f_source",
                                          "t5"."allocation_id" AS "f_allocation",
                                          MIN("t5"."start_date") AS "first_start"
                                        FROM (
                                          SELECT
                                            "t3"."source",
                                            "t3"."allocation_id",
                                            "t3"."start_date",
                                            CASE
                                              WHEN "t3"."end_date" > MAKE_DATE(2024, 1, 1)
                                              THEN CAST(NULL AS DATE)
                                              ELSE "t3"."end_date"
                                            END AS "end_date",
                                            "t3"."end_reason"
                                          FROM "delivery_versions" AS "t3"
                                          WHERE
                                            "t3"."superseded_at" IS NULL AND "t3"."start_date" <= MAKE_DATE(2024, 1, 1)
                                        ) AS "t5"
                                        GROUP BY
                                          1,
                                          2
                                      ) AS "t12"
                                        ON "t9"."source" = "t12"."f_source" AND "t9"."allocation_id" = "t12"."f_allocation"
                                    ) AS "t15"
                                  ) AS "t16"
                                  WHERE
                                    "t16"."first_start" IS NOT NULL
                                ) AS "t22"
                                  ON "t21"."source" = "t22"."p_source"
                                  AND "t21"."r_provider" = "t22"."p_provider"
                                  AND "t21"."law" = "t22"."p_law"
                              ) AS "t23"
                            ) AS "t24"
                            WHERE
                              NOT (
                                (
                                  "t24"."previous_end" IS NOT NULL
                                )
                                AND (
                                  DATE_DIFF('DAY', "t24"."previous_end", "t24"."start_date") <= 1
                                )
                              )
                          ) AS "t25"
                        ) AS "t26"
                      ) AS "t28"
                      INNER JOIN (
                        SELECT
                          "t14"."law" AS "n_law",
                          "t14"."applies_to" AS "n_applies",
                          COALESCE(CAST("t14"."product_category" AS TEXT), '') AS "n_category",
                          COALESCE(CAST("t14"."provider_code" AS TEXT), '') AS "n_provider",
                          CAST("t14"."days" AS BIGINT) AS "norm_days",
                          TRUE AS "n_loaded"
                        FROM (
                          SELECT
                            "t13".*
                            EXCLUDE ("_n")
                          FROM (
                            SELECT
                              *
                            FROM (
                              SELECT
                                "t4"."law",
                                "t4"."product_category",
                                "t4"."provider_code",
                                "t4"."applies_to",
                                "t4"."shipped",
                                "t4"."days",
                                "t4"."basis",
                                "t4"."load_id",
                                "t4"."known_from",
                                "t4"."superseded_at",
                                "t4"."superseded_by",
                                "t4"."source_row",
                                ROW_NUMBER() OVER (
                                  PARTITION BY "t4"."law", "t4"."product_category", "t4"."provider_code", "t4"."applies_to"
                                  ORDER BY "t4"."shipped" ASC, "t4"."load_id" DESC
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                                ) - 1 AS "_n"
                              FROM (
                                SELECT
                                  *
                                FROM "norm_versions" AS "t2"
                                WHERE
                                  "t2"."superseded_at" IS NULL
                              ) AS "t4"
                            ) AS "t11"
                            WHERE
                              "t11"."_n" = 0
                          ) AS "t13"
                        ) AS "t14"
                      ) AS "t20"
                        ON "t28"."k_law" = "t20"."n_law"
                        AND "t28"."k_applies" = "t20"."n_applies"
                        AND (
                          (
                            "t20"."n_category" = ''
                          ) OR (
                            "t20"."n_category" = "t28"."norm_category"
                          )
                        )
                        AND (
                          (
                            "t20"."n_provider" = ''
                          ) OR (
                            "t20"."n_provider" = "t28"."norm_provider"
                          )
                        )
                    ) AS "t31"
                  ) AS "t32"
                  WHERE
                    "t32"."pick" = 0
                ) AS "t34"
                  ON "t30"."law" = "t34"."law"
                  AND "t30"."k_applies" = "t34"."applies_to"
                  AND "t30"."k_category" = "t34"."norm_category"
                  AND "t30"."k_provider" = "t34"."norm_provider"
              ) AS "t35"
            ) AS "t36"
          ) AS "t37"
          WHERE
            "t37"."first_start" IS NOT NULL
            AND CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t37"."first_start") * 12
                    ) + EXTRACT(month FROM "t37"."first_start")
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
                      EXTRACT(year FROM "t37"."first_start") * 12
                    ) + EXTRACT(month FROM "t37"."first_start")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) < 2
        ) AS "t39"
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
          ON "t39"."slot_index" = "t8"."slot_index"
      ) AS "t40"
    ) AS "t41"
  ) AS "t42"
  GROUP BY
    1,
    2
) AS "t43"
