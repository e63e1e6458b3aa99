WITH "t5" AS (
  SELECT
    "t2"."source",
    "t2"."allocation_id",
    "t2"."start_date",
    CASE
      WHEN "t2"."end_date" > MAKE_DATE(2024, 1, 1)
      THEN CAST(NULL AS DATE)
      ELSE "t2"."end_date"
    END AS "end_date",
    "t2"."end_reason"
  FROM "delivery_versions" AS "t2"
  WHERE
    "t2"."superseded_at" IS NULL AND "t2"."start_date" <= MAKE_DATE(2024, 1, 1)
), "t7" AS (
  SELECT DISTINCT
    "t1"."law",
    COALESCE(CAST("t1"."product_category" AS TEXT), '') AS "product_category",
    COALESCE("t1"."provider_code", '') AS "n_provider"
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
)
SELECT
  "t51"."slot",
  "t51"."started",
  CAST(ROUND("t51"."wait_mean_days", 1) AS DOUBLE) AS "wait_mean_days",
  CAST(ROUND("t51"."wait_median_days", 1) AS DOUBLE) AS "wait_median_days",
  CAST(ROUND("t51"."p80_days", 1) AS DOUBLE) AS "p80_days",
  "t51"."within_norm",
  CAST(ROUND((
    "t51"."within_norm" / NULLIF("t51"."started", 0)
  ) * 100, 1) AS DOUBLE) AS "within_norm_share"
FROM (
  SELECT
    "t50"."slot",
    COUNT(*) AS "started",
    AVG(CAST("t50"."wait_days" AS DOUBLE)) AS "wait_mean_days",
    QUANTILE_CONT(CAST("t50"."wait_days" AS DOUBLE), 0.5) AS "wait_median_days",
    QUANTILE_CONT(CAST("t50"."wait_days" AS DOUBLE), 0.8) AS "p80_days",
    SUM(CAST(COALESCE("t50"."wait_days" <= "t50"."norm_days", FALSE) AS BIGINT)) AS "within_norm"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t48".*
        EXCLUDE ("slot_index")
      FROM (
        SELECT
          "t47"."allocation_id",
          "t47"."client_key",
          "t47"."birth_date",
          "t47"."gender",
          "t47"."municipality_code",
          "t47"."law",
          "t47"."product_category",
          "t47"."product_code",
          "t47"."provider_code",
          "t47"."referrer",
          "t47"."delivery_form",
          "t47"."start_date",
          "t47"."end_date",
          "t47"."source",
          "t47"."decision_date",
          "t47"."first_start",
          "t47"."clock_start",
          "t47"."wait_days",
          "t47"."norm_days",
          "t47"."birth",
          "t47"."law_for_age",
          "t47"."slot_index",
          "t10"."slot",
          "t10"."slot_first",
          "t10"."slot_last"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t44"."allocation_id",
              "t44"."client_key",
              "t44"."birth_date",
              "t44"."gender",
              "t44"."municipality_code",
              "t44"."law",
              "t44"."product_category",
              "t44"."product_code",
              "t44"."provider_code",
              "t44"."referrer",
              "t44"."delivery_form",
              "t44"."start_date",
              "t44"."end_date",
              "t44"."source",
              "t44"."decision_date",
              "t44"."first_start",
              "t44"."clock_start",
              "t44"."wait_days",
              "t44"."norm_days",
              "t44"."birth_date" AS "birth",
              "t44"."law" AS "law_for_age",
              CAST(FLOOR(
                (
                  (
                    (
                      (
                        EXTRACT(year FROM "t44"."first_start") * 12
                      ) + EXTRACT(month FROM "t44"."first_start")
                    ) - 1
                  ) - 24216
                ) / (
                  1
                )
              ) AS BIGINT) AS "slot_index"
            FROM (
              SELECT
                "t43".*
                EXCLUDE ("r_provider")
              FROM (
                SELECT
                  "t42".*
                  EXCLUDE ("law_right", "n_provider", "product_category_right")
                FROM (
                  SELECT
                    "t38"."allocation_id",
                    "t38"."client_key",
                    "t38"."birth_date",
                    "t38"."gender",
                    "t38"."municipality_code",
                    "t38"."law",
                    "t38"."product_category",
                    "t38"."product_code",
                    "t38"."provider_code",
                    "t38"."referrer",
                    "t38"."delivery_form",
                    "t38"."start_date",
                    "t38"."end_date",
                    "t38"."source",
                    "t38"."decision_date",
                    "t38"."r_provider",
                    "t38"."first_start",
                    "t38"."clock_start",
                    "t38"."wait_days",
                    "t41"."law" AS "law_right",
                    "t41"."product_category" AS "product_category_right",
                    "t41"."n_provider",
                    "t41"."norm_days"
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
                      "t33"."source",
                      "t33"."decision_date",
                      "t33"."r_provider",
                      "t33"."first_start",
                      GREATEST("t33"."start_date", COALESCE("t33"."decision_date", "t33"."start_date")) AS "clock_start",
                      GREATEST(
                        DATE_DIFF(
                          'DAY',
                          GREATEST("t33"."start_date", COALESCE("t33"."decision_date", "t33"."start_date")),
                          "t33"."first_start"
                        ),
                        0
                      ) AS "wait_days"
                    FROM (
                      SELECT
                        "t32".*
                        EXCLUDE ("previous_end")
                      FROM (
                        SELECT
                          *
                        FROM (
                          SELECT
                            "t29"."allocation_id",
                            "t29"."client_key",
                            "t29"."birth_date",
                            "t29"."gender",
                            "t29"."municipality_code",
                            "t29"."law",
                            "t29"."product_category",
                            "t29"."product_code",
                            "t29"."provider_code",
                            "t29"."referrer",
                            "t29"."delivery_form",
                            "t29"."start_date",
                            "t29"."end_date",
                            "t29"."source",
                            "t29"."decision_date",
                            "t29"."r_provider",
                            "t29"."first_start",
                            MAX(
                              CASE
                                WHEN "t29"."first_start" IS NOT NULL
                                THEN COALESCE("t29"."end_date", MAKE_DATE(9999, 12, 31))
                                ELSE CAST(NULL AS DATE)
                              END
                            ) OVER (
                              PARTITION BY "t29"."client_key", "t29"."law", "t29"."product_category", "t29"."r_provider"
                              ORDER BY "t29"."start_date" ASC, "t29"."allocation_id" ASC
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                            ) AS "previous_end"
                          FROM (
                            SELECT
                              "t27".*
                              EXCLUDE ("f_allocation", "f_source")
                            FROM (
                              SELECT
                                "t12"."allocation_id",
                                "t12"."client_key",
                                "t12"."birth_date",
                                "t12"."gender",
                                "t12"."municipality_code",
                                "t12"."law",
                                "t12"."product_category",
                                "t12"."product_code",
                                "t12"."provider_code",
                                "t12"."referrer",
                                "t12"."delivery_form",
                                "t12"."start_date",
                                "t12"."end_date",
                                "t12"."source",
                                "t12"."decision_date",
                                "t12"."r_provider",
                                "t17"."f_source",
                                "t17"."f_allocation",
                                "t17"."first_start"
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
                                  END AS "decision_date",
                                  COALESCE("t1"."provider_code", '') AS "r_provider"
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
                              ) AS "t12"
                              SEMI JOIN (
                                SELECT DISTINCT
                                  *
                                FROM (
                                  SELECT
                                    "t12"."source" AS "p_source",
                                    "t12"."r_provider" AS "p_provider",
                                    "t12"."law" AS "p_law"
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
                                      END AS "decision_date",
                                      COALESCE("t1"."provider_code", '') AS "r_provider"
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
                                  ) AS "t12"
                                  SEMI JOIN "t5" AS "t13"
                                    ON "t12"."source" = "t13"."source" AND "t12"."allocation_id" = "t13"."allocation_id"
                                ) AS "t20"
                              ) AS "t25"
                                ON "t12"."source" = "t25"."p_source"
                                AND "t12"."r_provider" = "t25"."p_provider"
                                AND "t12"."law" = "t25"."p_law"
                              LEFT OUTER JOIN (
                                SELECT
                                  "t9"."source" AS "f_source",
                                  "t9"."allocation_id" AS "f_allocation",
                                  MIN("t9"."start_date") AS "first_start"
                                FROM "t5" AS "t9"
                                GROUP BY
                                  1,
                                  2
                              ) AS "t17"
                                ON "t12"."source" = "t17"."f_source"
                                AND "t12"."allocation_id" = "t17"."f_allocation"
                            ) AS "t27"
                          ) AS "t29"
                        ) AS "t31"
                        WHERE
                          NOT (
                            (
                              "t31"."previous_end" IS NOT NULL
                            )
                            AND (
                              DATE_DIFF('DAY', "t31"."previous_end", "t31"."start_date") <= 29
                            )
                          )
                      ) AS "t32"
                    ) AS "t33"
                  ) AS "t38"
                  LEFT OUTER JOIN (
                    SELECT
                      "t39"."law",
                      "t39"."product_category",
                      "t39"."n_provider",
                      "t39"."norm_days"
                    FROM (
                      SELECT
                        "t18"."law",
                        "t18"."product_category",
                        "t18"."n_provider",
                        "t18"."k_applies",
                        "t18"."k_category",
                        "t18"."k_provider",
                        "t36"."law" AS "law_right",
                        "t36"."applies_to",
                        "t36"."norm_category",
                        "t36"."norm_provider",
                        "t36"."norm_days"
                      FROM (
                        SELECT
                          "t11"."law",
                          "t11"."product_category",
                          "t11"."n_provider",
                          'waiting' AS "k_applies",
                          COALESCE("t11"."product_category", '') AS "k_category",
                          COALESCE("t11"."n_provider", '') AS "k_provider"
                        FROM "t7" AS "t11"
                      ) AS "t18"
                      LEFT OUTER JOIN (
                        SELECT
                          "t34"."k_law" AS "law",
                          "t34"."k_applies" AS "applies_to",
                          "t34"."norm_category",
                          "t34"."norm_provider",
                          "t34"."norm_days"
                        FROM (
                          SELECT
                            "t30"."k_law",
                            "t30"."k_applies",
                            "t30"."norm_category",
                            "t30"."norm_provider",
                            "t30"."n_law",
                            "t30"."n_applies",
                            "t30"."n_category",
                            "t30"."n_provider",
                            "t30"."norm_days",
                            "t30"."n_loaded",
                            ROW_NUMBER() OVER (
                              PARTITION BY "t30"."k_law", "t30"."k_applies", "t30"."norm_category", "t30"."norm_provider"
                              ORDER BY (
                                CAST("t30"."n_provider" <> '' AS BIGINT) * 2
                              ) + CAST("t30"."n_category" <> '' AS BIGINT) DESC, "t30"."n_loaded" DESC
                              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                            ) - 1 AS "pick"
                          FROM (
                            SELECT
                              "t21"."k_law",
                              "t21"."k_applies",
                              "t21"."norm_category",
                              "t21"."norm_provider",
                              "t28"."n_law",
                              "t28"."n_applies",
                              "t28"."n_category",
                              "t28"."n_provider",
                              "t28"."norm_days",
                              "t28"."n_loaded"
                            FROM (
                              SELECT DISTINCT
                                "t11"."law" AS "k_law",
                                'waiting' AS "k_applies",
                                COALESCE(COALESCE("t11"."product_category", ''), '') AS "norm_category",
                                COALESCE(COALESCE("t11"."n_provider", ''), '') AS "norm_provider"
                              FROM "t7" AS "t11"
                            ) AS "t21"
                            INNER JOIN (
                              SELECT
                                "t24"."law" AS "n_law",
                                "t24"."applies_to" AS "n_applies",
                                COALESCE(CAST("t24"."product_category" AS TEXT), '') AS "n_category",
                                COALESCE(CAST("t24"."provider_code" AS TEXT), '') AS "n_provider",
                                CAST("t24"."days" AS BIGINT) AS "norm_days",
                                TRUE AS "n_loaded"
                              FROM (
                                SELECT
                                  "t22".*
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
                                      FROM "norm_versions" AS "t3"
                                      WHERE
                                        "t3"."superseded_at" IS NULL
                                    ) AS "t4"
                                  ) AS "t15"
                                  WHERE
                                    "t15"."_n" = 0
                                ) AS "t22"
                              ) AS "t24"
                            ) AS "t28"
                              ON "t21"."k_law" = "t28"."n_law"
                              AND "t21"."k_applies" = "t28"."n_applies"
                              AND (
                                (
                                  "t28"."n_category" = ''
                                ) OR (
                                  "t28"."n_category" = "t21"."norm_category"
                                )
                              )
                              AND (
                                (
                                  "t28"."n_provider" = ''
                                ) OR (
                                  "t28"."n_provider" = "t21"."norm_provider"
                                )
                              )
                          ) AS "t30"
                        ) AS "t34"
                        WHERE
                          "t34"."pick" = 0
                      ) AS "t36"
                        ON "t18"."law" = "t36"."law"
                        AND "t18"."k_applies" = "t36"."applies_to"
                        AND "t18"."k_category" = "t36"."norm_category"
                        AND "t18"."k_provider" = "t36"."norm_provider"
                    ) AS "t39"
                  ) AS "t41"
                    ON "t38"."law" = "t41"."law"
                    AND COALESCE("t38"."product_category", '') = "t41"."product_category"
                    AND "t38"."r_provider" = "t41"."n_provider"
                ) AS "t42"
              ) AS "t43"
            ) AS "t44"
            WHERE
              "t44"."first_start" IS NOT NULL
          ) AS "t45"
          WHERE
            "t45"."slot_index" >= 0 AND "t45"."slot_index" < 12
        ) AS "t47"
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
        ) AS "t10"
          ON "t47"."slot_index" = "t10"."slot_index"
      ) AS "t48"
    ) AS "t49"
  ) AS "t50"
  GROUP BY
    1
) AS "t51"
