WITH "t8" AS (
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
), "t11" AS (
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
), "t54" AS (
  SELECT
    "t53"."allocation_id",
    "t53"."client_key",
    "t53"."birth_date",
    "t53"."gender",
    "t53"."municipality_code",
    "t53"."law",
    "t53"."product_category",
    "t53"."product_code",
    "t53"."provider_code",
    "t53"."referrer",
    "t53"."delivery_form",
    "t53"."start_date",
    "t53"."end_date",
    "t53"."source",
    "t53"."decision_date",
    "t53"."first_start",
    "t53"."clock_start",
    "t53"."wait_days",
    "t53"."norm_days",
    "t53"."birth",
    "t53"."law_for_age",
    "t4"."slot",
    "t4"."slot_first",
    "t4"."slot_last"
  FROM (
    SELECT
      "t51"."allocation_id",
      "t51"."client_key",
      "t51"."birth_date",
      "t51"."gender",
      "t51"."municipality_code",
      "t51"."law",
      "t51"."product_category",
      "t51"."product_code",
      "t51"."provider_code",
      "t51"."referrer",
      "t51"."delivery_form",
      "t51"."start_date",
      "t51"."end_date",
      "t51"."source",
      "t51"."decision_date",
      "t51"."first_start",
      "t51"."clock_start",
      "t51"."wait_days",
      "t51"."norm_days",
      "t51"."birth_date" AS "birth",
      "t51"."law" AS "law_for_age"
    FROM (
      SELECT
        "t50".*
        EXCLUDE ("r_provider")
      FROM (
        SELECT
          "t49".*
          EXCLUDE ("law_right", "n_provider", "product_category_right")
        FROM (
          SELECT
            "t45"."allocation_id",
            "t45"."client_key",
            "t45"."birth_date",
            "t45"."gender",
            "t45"."municipality_code",
            "t45"."law",
            "t45"."product_category",
            "t45"."product_code",
            "t45"."provider_code",
            "t45"."referrer",
            "t45"."delivery_form",
            "t45"."start_date",
            "t45"."end_date",
            "t45"."source",
            "t45"."decision_date",
            "t45"."r_provider",
            "t45"."first_start",
            "t45"."clock_start",
            "t45"."wait_days",
            "t48"."law" AS "law_right",
            "t48"."product_category" AS "product_category_right",
            "t48"."n_provider",
            "t48"."norm_days"
          FROM (
            SELECT
              "t40"."allocation_id",
              "t40"."client_key",
              "t40"."birth_date",
              "t40"."gender",
              "t40"."municipality_code",
              "t40"."law",
              "t40"."product_category",
              "t40"."product_code",
              "t40"."provider_code",
              "t40"."referrer",
              "t40"."delivery_form",
              "t40"."start_date",
              "t40"."end_date",
              "t40"."source",
              "t40"."decision_date",
              "t40"."r_provider",
              "t40"."first_start",
              GREATEST("t40"."start_date", COALESCE("t40"."decision_date", "t40"."start_date")) AS "clock_start",
              GREATEST(
                DATE_DIFF(
                  'DAY',
                  GREATEST("t40"."start_date", COALESCE("t40"."decision_date", "t40"."start_date")),
                  "t40"."first_start"
                ),
                0
              ) AS "wait_days"
            FROM (
              SELECT
                "t39".*
                EXCLUDE ("previous_end")
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t36"."allocation_id",
                    "t36"."client_key",
                    "t36"."birth_date",
                    "t36"."gender",
                    "t36"."municipality_code",
                    "t36"."law",
                    "t36"."product_category",
                    "t36"."product_code",
                    "t36"."provider_code",
                    "t36"."referrer",
                    "t36"."delivery_form",
                    "t36"."start_date",
                    "t36"."end_date",
                    "t36"."source",
                    "t36"."decision_date",
                    "t36"."r_provider",
                    "t36"."first_start",
                    MAX(
                      CASE
                        WHEN "t36"."first_start" IS NOT NULL
                        THEN COALESCE("t36"."end_date", MAKE_DATE(9999, 12, 31))
                        ELSE CAST(NULL AS DATE)
                      END
                    ) OVER (
                      PARTITION BY "t36"."client_key", "t36"."law", "t36"."product_category", "t36"."r_provider"
                      ORDER BY "t36"."start_date" ASC, "t36"."allocation_id" ASC
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                    ) AS "previous_end"
                  FROM (
                    SELECT
                      "t34".*
                      EXCLUDE ("f_allocation", "f_source")
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
                        "t16"."r_provider",
                        "t22"."f_source",
                        "t22"."f_allocation",
                        "t22"."first_start"
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
                      ) AS "t16"
                      SEMI JOIN (
                        SELECT DISTINCT
                          *
                        FROM (
                          SELECT
                            "t16"."source" AS "p_source",
                            "t16"."r_provider" AS "p_provider",
                            "t16"."law" AS "p_law"
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
                          ) AS "t16"
                          SEMI JOIN "t8" AS "t17"
                            ON "t16"."source" = "t17"."source" AND "t16"."allocation_id" = "t17"."allocation_id"
                        ) AS "t26"
                      ) AS "t32"
                        ON "t16"."source" = "t32"."p_source"
                        AND "t16"."r_provider" = "t32"."p_provider"
                        AND "t16"."law" = "t32"."p_law"
                      LEFT OUTER JOIN (
                        SELECT
                          "t14"."source" AS "f_source",
                          "t14"."allocation_id" AS "f_allocation",
                          MIN("t14"."start_date") AS "first_start"
                        FROM "t8" AS "t14"
                        GROUP BY
                          1,
                          2
                      ) AS "t22"
                        ON "t16"."source" = "t22"."f_source"
                        AND "t16"."allocation_id" = "t22"."f_allocation"
                    ) AS "t34"
                  ) AS "t36"
                ) AS "t38"
                WHERE
                  NOT (
                    (
                      "t38"."previous_end" IS NOT NULL
                    )
                    AND (
                      DATE_DIFF('DAY', "t38"."previous_end", "t38"."start_date") <= 1
                    )
                  )
              ) AS "t39"
            ) AS "t40"
          ) AS "t45"
          LEFT OUTER JOIN (
            SELECT
              "t46"."law",
              "t46"."product_category",
              "t46"."n_provider",
              "t46"."norm_days"
            FROM (
              SELECT
                "t23"."law",
                "t23"."product_category",
                "t23"."n_provider",
                "t23"."k_applies",
                "t23"."k_category",
                "t23"."k_provider",
                "t43"."law" AS "law_right",
                "t43"."applies_to",
                "t43"."norm_category",
                "t43"."norm_provider",
                "t43"."norm_days"
              FROM (
                SELECT
                  "t15"."law",
                  "t15"."product_category",
                  "t15"."n_provider",
                  'waiting' AS "k_applies",
                  COALESCE("t15"."product_category", '') AS "k_category",
                  COALESCE("t15"."n_provider", '') AS "k_provider"
                FROM "t11" AS "t15"
              ) AS "t23"
              LEFT OUTER JOIN (
                SELECT
                  "t41"."k_law" AS "law",
                  "t41"."k_applies" AS "applies_to",
                  "t41"."norm_category",
                  "t41"."norm_provider",
                  "t41"."norm_days"
                FROM (
                  SELECT
                    "t37"."k_law",
                    "t37"."k_applies",
                    "t37"."norm_category",
                    "t37"."norm_provider",
                    "t37"."n_law",
                    "t37"."n_applies",
                    "t37"."n_category",
                    "t37"."n_provider",
                    "t37"."norm_days",
                    "t37"."n_loaded",
                    ROW_NUMBER() OVER (
                      PARTITION BY "t37"."k_law", "t37"."k_applies", "t37"."norm_category", "t37"."norm_provider"
                      ORDER BY (
                        CAST("t37"."n_provider" <> '' AS BIGINT) * 2
                      ) + CAST("t37"."n_category" <> '' AS BIGINT) DESC, "t37"."n_loaded" DESC
                      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                    ) - 1 AS "pick"
                  FROM (
                    SELECT
                      "t27"."k_law",
                      "t27"."k_applies",
                      "t27"."norm_category",
                      "t27"."norm_provider",
                      "t35"."n_law",
                      "t35"."n_applies",
                      "t35"."n_category",
                      "t35"."n_provider",
                      "t35"."norm_days",
                      "t35"."n_loaded"
                    FROM (
                      SELECT DISTINCT
                        "t15"."law" AS "k_law",
                        'waiting' AS "k_applies",
                        COALESCE(COALESCE("t15"."product_category", ''), '') AS "norm_category",
                        COALESCE(COALESCE("t15"."n_provider", ''), '') AS "norm_provider"
                      FROM "t11" AS "t15"
                    ) AS "t27"
                    INNER JOIN (
                      SELECT
                        "t31"."law" AS "n_law",
                        "t31"."applies_to" AS "n_applies",
                        COALESCE(CAST("t31"."product_category" AS TEXT), '') AS "n_category",
                        COALESCE(CAST("t31"."provider_code" AS TEXT), '') AS "n_provider",
                        CAST("t31"."days" AS BIGINT) AS "norm_days",
                        TRUE AS "n_loaded"
                      FROM (
                        SELECT
                          "t29".*
                          EXCLUDE ("_n")
                        FROM (
                          SELECT
                            *
                          FROM (
                            SELECT
                              "t5"."law",
                              "t5"."product_category",
                              "t5"."provider_code",
                              "t5"."applies_to",
                              "t5"."shipped",
                              "t5"."days",
                              "t5"."basis",
                              "t5"."load_id",
                              "t5"."known_from",
                              "t5"."superseded_at",
                              "t5"."superseded_by",
                              "t5"."source_row",
                              ROW_NUMBER() OVER (
                                PARTITION BY "t5"."law", "t5"."product_category", "t5"."provider_code", "t5"."applies_to"
                                ORDER BY "t5"."shipped" ASC, "t5"."load_id" DESC
                                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                              ) - 1 AS "_n"
                            FROM (
                              SELECT
                                *
                              FROM "norm_versions" AS "t3"
                              WHERE
                                "t3"."superseded_at" IS NULL
                            ) AS "t5"
                          ) AS "t19"
                          WHERE
                            "t19"."_n" = 0
                        ) AS "t29"
                      ) AS "t31"
                    ) AS "t35"
                      ON "t27"."k_law" = "t35"."n_law"
                      AND "t27"."k_applies" = "t35"."n_applies"
                      AND (
                        (
                          "t35"."n_category" = ''
                        ) OR (
                          "t35"."n_category" = "t27"."norm_category"
                        )
                      )
                      AND (
                        (
                          "t35"."n_provider" = ''
                        ) OR (
                          "t35"."n_provider" = "t27"."norm_provider"
                        )
                      )
                  ) AS "t37"
                ) AS "t41"
                WHERE
                  "t41"."pick" = 0
              ) AS "t43"
                ON "t23"."law" = "t43"."law"
                AND "t23"."k_applies" = "t43"."applies_to"
                AND "t23"."k_category" = "t43"."norm_category"
                AND "t23"."k_provider" = "t43"."norm_provider"
            ) AS "t46"
          ) AS "t48"
            ON "t45"."law" = "t48"."law"
            AND COALESCE("t45"."product_category", '') = "t48"."product_category"
            AND "t45"."r_provider" = "t48"."n_provider"
        ) AS "t49"
      ) AS "t50"
    ) AS "t51"
    WHERE
      (
        (
          "t51"."first_start" IS NULL
        )
        OR (
          "t51"."first_start" > MAKE_DATE(2018, 3, 1)
        )
      )
      AND (
        (
          "t51"."end_date" IS NULL
        ) OR (
          "t51"."end_date" >= MAKE_DATE(2018, 3, 1)
        )
      )
      AND "t51"."start_date" <= MAKE_DATE(2018, 3, 1)
  ) AS "t53"
  INNER JOIN "memtable_1" AS "t4"
    ON "t53"."start_date" <= "t4"."slot_last"
    AND (
      (
        "t53"."end_date" IS NULL
      ) OR (
        "t53"."end_date" >= "t4"."slot_last"
      )
    )
    AND (
      (
        "t53"."first_start" IS NULL
      ) OR (
        "t53"."first_start" > "t4"."slot_last"
      )
    )
    AND "t53"."clock_start" <= "t4"."slot_last"
)
SELECT
  "t67"."slot",
  "t67"."waiting",
  CAST(ROUND("t67"."waited_mean_days", 1) AS DOUBLE) AS "waited_mean_days",
  CAST(ROUND("t67"."waited_median_days", 1) AS DOUBLE) AS "waited_median_days",
  "t67"."over_norm",
  CAST(ROUND((
    1 - (
      "t67"."over_norm" / NULLIF("t67"."waiting", 0)
    )
  ) * 100, 1) AS DOUBLE) AS "list_within_norm_share",
  "t67"."bridged",
  "t67"."weeks_0_4",
  "t67"."weeks_4_8",
  "t67"."weeks_8_13",
  "t67"."weeks_13_26",
  "t67"."weeks_over_26"
FROM (
  SELECT
    "t66"."slot",
    COUNT(*) AS "waiting",
    AVG(CAST("t66"."days_waited" AS DOUBLE)) AS "waited_mean_days",
    QUANTILE_CONT(CAST("t66"."days_waited" AS DOUBLE), 0.5) AS "waited_median_days",
    SUM(CAST("t66"."over_norm" AS BIGINT)) AS "over_norm",
    SUM(CAST("t66"."bridged" AS BIGINT)) AS "bridged",
    SUM(
      CAST((
        "t66"."days_waited" > -1
      ) AND (
        "t66"."days_waited" <= 28
      ) AS BIGINT)
    ) AS "weeks_0_4",
    SUM(
      CAST((
        "t66"."days_waited" > 28
      ) AND (
        "t66"."days_waited" <= 56
      ) AS BIGINT)
    ) AS "weeks_4_8",
    SUM(
      CAST((
        "t66"."days_waited" > 56
      ) AND (
        "t66"."days_waited" <= 91
      ) AS BIGINT)
    ) AS "weeks_8_13",
    SUM(
      CAST((
        "t66"."days_waited" > 91
      ) AND (
        "t66"."days_waited" <= 182
      ) AS BIGINT)
    ) AS "weeks_13_26",
    SUM(CAST("t66"."days_waited" > 182 AS BIGINT)) AS "weeks_over_26"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t64".*
        EXCLUDE ("b_allocation", "b_slot", "b_source")
      FROM (
        SELECT
          "t63"."allocation_id",
          "t63"."client_key",
          "t63"."birth_date",
          "t63"."gender",
          "t63"."municipality_code",
          "t63"."law",
          "t63"."product_category",
          "t63"."product_code",
          "t63"."provider_code",
          "t63"."referrer",
          "t63"."delivery_form",
          "t63"."start_date",
          "t63"."end_date",
          "t63"."source",
          "t63"."decision_date",
          "t63"."first_start",
          "t63"."clock_start",
          "t63"."wait_days",
          "t63"."norm_days",
          "t63"."birth",
          "t63"."law_for_age",
          "t63"."slot",
          "t63"."slot_first",
          "t63"."slot_last",
          "t63"."days_waited",
          "t63"."over_norm",
          "t63"."b_slot",
          "t63"."b_source",
          "t63"."b_allocation",
          "t63"."b_slot" IS NOT NULL AS "bridged"
        FROM (
          SELECT
            "t59"."allocation_id",
            "t59"."client_key",
            "t59"."birth_date",
            "t59"."gender",
            "t59"."municipality_code",
            "t59"."law",
            "t59"."product_category",
            "t59"."product_code",
            "t59"."provider_code",
            "t59"."referrer",
            "t59"."delivery_form",
            "t59"."start_date",
            "t59"."end_date",
            "t59"."source",
            "t59"."decision_date",
            "t59"."first_start",
            "t59"."clock_start",
            "t59"."wait_days",
            "t59"."norm_days",
            "t59"."birth",
            "t59"."law_for_age",
            "t59"."slot",
            "t59"."slot_first",
            "t59"."slot_last",
            "t59"."days_waited",
            "t59"."over_norm",
            "t62"."b_slot",
            "t62"."b_source",
            "t62"."b_allocation"
          FROM (
            SELECT
              "t55"."allocation_id",
              "t55"."client_key",
              "t55"."birth_date",
              "t55"."gender",
              "t55"."municipality_code",
              "t55"."law",
              "t55"."product_category",
              "t55"."product_code",
              "t55"."provider_code",
              "t55"."referrer",
              "t55"."delivery_form",
              "t55"."start_date",
              "t55"."end_date",
              "t55"."source",
              "t55"."decision_date",
              "t55"."first_start",
              "t55"."clock_start",
              "t55"."wait_days",
              "t55"."norm_days",
              "t55"."birth",
              "t55"."law_for_age",
              "t55"."slot",
              "t55"."slot_first",
              "t55"."slot_last",
              DATE_DIFF('DAY', "t55"."clock_start", "t55"."slot_last") AS "days_waited",
              COALESCE(
                DATE_DIFF('DAY', "t55"."clock_start", "t55"."slot_last") > "t55"."norm_days",
                FALSE
              ) AS "over_norm"
            FROM "t54" AS "t55"
            WHERE
              DATE_DIFF('DAY', "t55"."clock_start", "t55"."slot_last") >= 7
          ) AS "t59"
          LEFT OUTER JOIN (
            SELECT DISTINCT
              *
            FROM (
              SELECT
                "t57"."b_slot",
                "t57"."b_source",
                "t57"."b_allocation"
              FROM (
                SELECT
                  "t55"."slot" AS "b_slot",
                  "t55"."slot_last" AS "b_day",
                  "t55"."source" AS "b_source",
                  "t55"."allocation_id" AS "b_allocation",
                  "t55"."client_key" AS "b_client",
                  "t55"."law" AS "b_law"
                FROM "t54" AS "t55"
                WHERE
                  DATE_DIFF('DAY', "t55"."clock_start", "t55"."slot_last") >= 7
              ) AS "t57"
              INNER JOIN (
                SELECT
                  *
                FROM (
                  SELECT
                    "t10"."client_key" AS "c_client",
                    "t10"."law" AS "c_law",
                    "t10"."source" AS "c_source",
                    "t10"."allocation_id" AS "c_allocation",
                    "t13"."d_start" AS "c_start",
                    COALESCE("t13"."d_end", MAKE_DATE(9999, 12, 31)) AS "c_end"
                  FROM (
                    SELECT
                      "t1"."source",
                      "t1"."allocation_id",
                      "t1"."client_key",
                      "t1"."law",
                      "t1"."delivery_form",
                      "t1"."start_date",
                      CASE
                        WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                        THEN CAST(NULL AS DATE)
                        ELSE "t1"."end_date"
                      END AS "end_date"
                    FROM "allocation_versions" AS "t1"
                    WHERE
                      "t1"."superseded_at" IS NULL
                      AND NOT (
                        "t1"."is_deleted"
                      )
                      AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
                  ) AS "t10"
                  INNER JOIN (
                    SELECT
                      "t2"."source" AS "d_source",
                      "t2"."allocation_id" AS "d_allocation",
                      "t2"."start_date" AS "d_start",
                      CASE
                        WHEN "t2"."end_date" > MAKE_DATE(2024, 1, 1)
                        THEN CAST(NULL AS DATE)
                        ELSE "t2"."end_date"
                      END AS "d_end"
                    FROM "delivery_versions" AS "t2"
                    WHERE
                      "t2"."superseded_at" IS NULL AND "t2"."start_date" <= MAKE_DATE(2024, 1, 1)
                  ) AS "t13"
                    ON "t10"."source" = "t13"."d_source"
                    AND "t10"."allocation_id" = "t13"."d_allocation"
                ) AS "t21"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t1"."client_key" AS "c_client",
                    CAST("t1"."law" AS TEXT) AS "c_law",
                    CAST("t1"."source" AS TEXT) AS "c_source",
                    CAST("t1"."allocation_id" AS TEXT) AS "c_allocation",
                    CAST("t1"."start_date" AS DATE) AS "c_start",
                    COALESCE(
                      CASE
                        WHEN "t1"."end_date" > MAKE_DATE(2024, 1, 1)
                        THEN CAST(NULL AS DATE)
                        ELSE "t1"."end_date"
                      END,
                      MAKE_DATE(9999, 12, 31)
                    ) AS "c_end"
                  FROM "allocation_versions" AS "t1"
                  WHERE
                    "t1"."superseded_at" IS NULL
                    AND NOT (
                      "t1"."is_deleted"
                    )
                    AND "t1"."start_date" <= MAKE_DATE(2024, 1, 1)
                    AND "t1"."delivery_form" = 'PGB'
                ) AS "t9"
              ) AS "t28"
                ON "t57"."b_client" = "t28"."c_client"
                AND "t57"."b_law" = "t28"."c_law"
                AND (
                  (
                    "t57"."b_source" <> "t28"."c_source"
                  )
                  OR (
                    "t57"."b_allocation" <> "t28"."c_allocation"
                  )
                )
                AND "t28"."c_start" <= "t57"."b_day"
                AND "t28"."c_end" >= "t57"."b_day"
            ) AS "t60"
          ) AS "t62"
            ON "t59"."slot" = "t62"."b_slot"
            AND "t59"."source" = "t62"."b_source"
            AND "t59"."allocation_id" = "t62"."b_allocation"
        ) AS "t63"
      ) AS "t64"
    ) AS "t65"
  ) AS "t66"
  GROUP BY
    1
) AS "t67"
