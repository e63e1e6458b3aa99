WITH "t47" AS (
  SELECT
    "t46"."allocation_id",
    "t46"."client_key",
    "t46"."birth_date",
    "t46"."gender",
    "t46"."municipality_code",
    "t46"."law",
    "t46"."product_category",
    "t46"."product_code",
    "t46"."provider_code",
    "t46"."referrer",
    "t46"."delivery_form",
    "t46"."start_date",
    "t46"."end_date",
    "t46"."source",
    "t46"."decision_date",
    "t46"."first_start",
    "t46"."clock_start",
    "t46"."wait_days",
    "t46"."norm_days",
    "t46"."birth",
    "t46"."law_for_age",
    "t4"."slot",
    "t4"."slot_first",
    "t4"."slot_last"
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
      "t44"."law" AS "law_for_age"
    FROM (
      SELECT
        "t43".*
        EXCLUDE ("r_provider")
      FROM (
        SELECT
          "t42".*
          EXCLUDE ("applies_to", "k_applies", "k_category", "k_provider", "law_right", "norm_category", "norm_provider")
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
            "t37"."r_provider",
            "t37"."clock_start",
            "t37"."wait_days",
            "t37"."k_applies",
            "t37"."k_category",
            "t37"."k_provider",
            "t41"."law" AS "law_right",
            "t41"."applies_to",
            "t41"."norm_category",
            "t41"."norm_provider",
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
              "t33"."first_start",
              "t33"."r_provider",
              GREATEST("t33"."start_date", COALESCE("t33"."decision_date", "t33"."start_date")) AS "clock_start",
              GREATEST(
                DATE_DIFF(
                  'DAY',
                  GREATEST("t33"."start_date", COALESCE("t33"."decision_date", "t33"."start_date")),
                  "t33"."first_start"
                ),
                0
              ) AS "wait_days",
              'waiting' AS "k_applies",
              COALESCE("t33"."product_category", '') AS "k_category",
              COALESCE("t33"."r_provider", '') AS "k_provider"
            FROM (
              SELECT
                "t32".*
                EXCLUDE ("previous_end")
              FROM (
                SELECT
                  *
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
                    MAX(
                      CASE
                        WHEN "t30"."first_start" IS NOT NULL
                        THEN COALESCE("t30"."end_date", MAKE_DATE(9999, 12, 31))
                        ELSE CAST(NULL AS DATE)
                      END
                    ) OVER (
                      PARTITION BY "t30"."client_key", "t30"."law", "t30"."product_category", "t30"."r_provider"
                      ORDER BY "t30"."start_date" ASC, "t30"."allocation_id" ASC
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                    ) AS "previous_end"
                  FROM (
                    SELECT
                      "t27"."allocation_id",
                      "t27"."client_key",
                      "t27"."birth_date",
                      "t27"."gender",
                      "t27"."municipality_code",
                      "t27"."law",
                      "t27"."product_category",
                      "t27"."product_code",
                      "t27"."provider_code",
                      "t27"."referrer",
                      "t27"."delivery_form",
                      "t27"."start_date",
                      "t27"."end_date",
                      "t27"."source",
                      "t27"."decision_date",
                      "t27"."first_start",
                      "t27"."r_provider"
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
                        COALESCE("t23"."provider_code", '') AS "r_provider"
                      FROM (
                        SELECT
                          "t21".*
                          EXCLUDE ("f_allocation", "f_source")
                        FROM (
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
                            "t13"."source",
                            "t13"."decision_date",
                            "t15"."f_source",
                            "t15"."f_allocation",
                            "t15"."first_start"
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
                          ) AS "t13"
                          LEFT OUTER JOIN (
                            SELECT
                              "t8"."source" AS "f_source",
                              "t8"."allocation_id" AS "f_allocation",
                              MIN("t8"."start_date") AS "first_start"
                            FROM (
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
                            ) AS "t8"
                            GROUP BY
                              1,
                              2
                          ) AS "t15"
                            ON "t13"."source" = "t15"."f_source"
                            AND "t13"."allocation_id" = "t15"."f_allocation"
                        ) AS "t21"
                      ) AS "t23"
                    ) AS "t27"
                    SEMI JOIN (
                      SELECT DISTINCT
                        "t23"."source" AS "p_source",
                        COALESCE("t23"."provider_code", '') AS "p_provider",
                        "t23"."law" AS "p_law"
                      FROM (
                        SELECT
                          "t21".*
                          EXCLUDE ("f_allocation", "f_source")
                        FROM (
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
                            "t13"."source",
                            "t13"."decision_date",
                            "t15"."f_source",
                            "t15"."f_allocation",
                            "t15"."first_start"
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
                          ) AS "t13"
                          LEFT OUTER JOIN (
                            SELECT
                              "t8"."source" AS "f_source",
                              "t8"."allocation_id" AS "f_allocation",
                              MIN("t8"."start_date") AS "first_start"
                            FROM (
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
                            ) AS "t8"
                            GROUP BY
                              1,
                              2
                          ) AS "t15"
                            ON "t13"."source" = "t15"."f_source"
                            AND "t13"."allocation_id" = "t15"."f_allocation"
                        ) AS "t21"
                      ) AS "t23"
                      WHERE
                        "t23"."first_start" IS NOT NULL
                    ) AS "t28"
                      ON "t27"."source" = "t28"."p_source"
                      AND "t27"."r_provider" = "t28"."p_provider"
                      AND "t27"."law" = "t28"."p_law"
                  ) AS "t30"
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
          ) AS "t37"
          LEFT OUTER JOIN (
            SELECT
              "t39"."k_law" AS "law",
              "t39"."k_applies" AS "applies_to",
              "t39"."norm_category",
              "t39"."norm_provider",
              "t39"."norm_days"
            FROM (
              SELECT
                "t38"."k_law",
                "t38"."k_applies",
                "t38"."norm_category",
                "t38"."norm_provider",
                "t38"."n_law",
                "t38"."n_applies",
                "t38"."n_category",
                "t38"."n_provider",
                "t38"."norm_days",
                "t38"."n_loaded",
                ROW_NUMBER() OVER (
                  PARTITION BY "t38"."k_law", "t38"."k_applies", "t38"."norm_category", "t38"."norm_provider"
                  ORDER BY (
                    CAST("t38"."n_provider" <> '' AS BIGINT) * 2
                  ) + CAST("t38"."n_category" <> '' AS BIGINT) DESC, "t38"."n_loaded" DESC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) - 1 AS "pick"
              FROM (
                SELECT
                  "t35"."k_law",
                  "t35"."k_applies",
                  "t35"."norm_category",
                  "t35"."norm_provider",
                  "t29"."n_law",
                  "t29"."n_applies",
                  "t29"."n_category",
                  "t29"."n_provider",
                  "t29"."norm_days",
                  "t29"."n_loaded"
                FROM (
                  SELECT DISTINCT
                    "t33"."law" AS "k_law",
                    'waiting' AS "k_applies",
                    COALESCE(COALESCE("t33"."product_category", ''), '') AS "norm_category",
                    COALESCE(COALESCE("t33"."r_provider", ''), '') AS "norm_provider"
                  FROM (
                    SELECT
                      "t32".*
                      EXCLUDE ("previous_end")
                    FROM (
                      SELECT
                        *
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
                          MAX(
                            CASE
                              WHEN "t30"."first_start" IS NOT NULL
                              THEN COALESCE("t30"."end_date", MAKE_DATE(9999, 12, 31))
                              ELSE CAST(NULL AS DATE)
                            END
                          ) OVER (
                            PARTITION BY "t30"."client_key", "t30"."law", "t30"."product_category", "t30"."r_provider"
                            ORDER BY "t30"."start_date" ASC, "t30"."allocation_id" ASC
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
                          ) AS "previous_end"
                        FROM (
                          SELECT
                            "t27"."allocation_id",
                            "t27"."client_key",
                            "t27"."birth_date",
                            "t27"."gender",
                            "t27"."municipality_code",
                            "t27"."law",
                            "t27"."product_category",
                            "t27"."product_code",
                            "t27"."provider_code",
                            "t27"."referrer",
                            "t27"."delivery_form",
                            "t27"."start_date",
                            "t27"."end_date",
                            "t27"."source",
                            "t27"."decision_date",
                            "t27"."first_start",
                            "t27"."r_provider"
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
                              COALESCE("t23"."provider_code", '') AS "r_provider"
                            FROM (
                              SELECT
                                "t21".*
                                EXCLUDE ("f_allocation", "f_source")
                              FROM (
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
                                  "t13"."source",
                                  "t13"."decision_date",
                                  "t15"."f_source",
                                  "t15"."f_allocation",
                                  "t15"."first_start"
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
                                ) AS "t13"
                                LEFT OUTER JOIN (
                                  SELECT
                                    "t8"."source" AS "f_source",
                                    "t8"."allocation_id" AS "f_allocation",
                                    MIN("t8"."start_date") AS "first_start"
                                  FROM (
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
                                  ) AS "t8"
                                  GROUP BY
                                    1,
                                    2
                                ) AS "t15"
                                  ON "t13"."source" = "t15"."f_source"
                                  AND "t13"."allocation_id" = "t15"."f_allocation"
                              ) AS "t21"
                            ) AS "t23"
                          ) AS "t27"
                          SEMI JOIN (
                            SELECT DISTINCT
                              "t23"."source" AS "p_source",
                              COALESCE("t23"."provider_code", '') AS "p_provider",
                              "t23"."law" AS "p_law"
                            FROM (
                              SELECT
                                "t21".*
                                EXCLUDE ("f_allocation", "f_source")
                              FROM (
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
                                  "t13"."source",
                                  "t13"."decision_date",
                                  "t15"."f_source",
                                  "t15"."f_allocation",
                                  "t15"."first_start"
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
                                ) AS "t13"
                                LEFT OUTER JOIN (
                                  SELECT
                                    "t8"."source" AS "f_source",
                                    "t8"."allocation_id" AS "f_allocation",
                                    MIN("t8"."start_date") AS "first_start"
                                  FROM (
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
                                  ) AS "t8"
                                  GROUP BY
                                    1,
                                    2
                                ) AS "t15"
                                  ON "t13"."source" = "t15"."f_source"
                                  AND "t13"."allocation_id" = "t15"."f_allocation"
                              ) AS "t21"
                            ) AS "t23"
                            WHERE
                              "t23"."first_start" IS NOT NULL
                          ) AS "t28"
                            ON "t27"."source" = "t28"."p_source"
                            AND "t27"."r_provider" = "t28"."p_provider"
                            AND "t27"."law" = "t28"."p_law"
                        ) AS "t30"
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
                ) AS "t35"
                INNER JOIN (
                  SELECT
                    "t22"."law" AS "n_law",
                    "t22"."applies_to" AS "n_applies",
                    COALESCE(CAST("t22"."product_category" AS TEXT), '') AS "n_category",
                    COALESCE(CAST("t22"."provider_code" AS TEXT), '') AS "n_provider",
                    CAST("t22"."days" AS BIGINT) AS "norm_days",
                    TRUE AS "n_loaded"
                  FROM (
                    SELECT
                      "t20".*
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
                      ) AS "t16"
                      WHERE
                        "t16"."_n" = 0
                    ) AS "t20"
                  ) AS "t22"
                ) AS "t29"
                  ON "t35"."k_law" = "t29"."n_law"
                  AND "t35"."k_applies" = "t29"."n_applies"
                  AND (
                    (
                      "t29"."n_category" = ''
                    ) OR (
                      "t29"."n_category" = "t35"."norm_category"
                    )
                  )
                  AND (
                    (
                      "t29"."n_provider" = ''
                    ) OR (
                      "t29"."n_provider" = "t35"."norm_provider"
                    )
                  )
              ) AS "t38"
            ) AS "t39"
            WHERE
              "t39"."pick" = 0
          ) AS "t41"
            ON "t37"."law" = "t41"."law"
            AND "t37"."k_applies" = "t41"."applies_to"
            AND "t37"."k_category" = "t41"."norm_category"
            AND "t37"."k_provider" = "t41"."norm_provider"
        ) AS "t42"
      ) AS "t43"
    ) AS "t44"
    WHERE
      (
        (
          "t44"."first_start" IS NULL
        )
        OR (
          "t44"."first_start" > MAKE_DATE(2018, 1, 1)
        )
      )
      AND (
        (
          "t44"."end_date" IS NULL
        ) OR (
          "t44"."end_date" >= MAKE_DATE(2018, 1, 1)
        )
      )
      AND "t44"."start_date" <= MAKE_DATE(2018, 12, 1)
  ) AS "t46"
  INNER JOIN "memtable_1" AS "t4"
    ON "t46"."start_date" <= "t4"."slot_last"
    AND (
      (
        "t46"."end_date" IS NULL
      ) OR (
        "t46"."end_date" >= "t4"."slot_last"
      )
    )
    AND (
      (
        "t46"."first_start" IS NULL
      ) OR (
        "t46"."first_start" > "t4"."slot_last"
      )
    )
    AND "t46"."clock_start" <= "t4"."slot_last"
)
SELECT
  "t60"."slot",
  "t60"."waiting",
  CAST(ROUND("t60"."waited_mean_days", 1) AS DOUBLE) AS "waited_mean_days",
  CAST(ROUND("t60"."waited_median_days", 1) AS DOUBLE) AS "waited_median_days",
  "t60"."over_norm",
  CAST(ROUND((
    1 - (
      "t60"."over_norm" / NULLIF("t60"."waiting", 0)
    )
  ) * 100, 1) AS DOUBLE) AS "list_within_norm_share",
  "t60"."bridged",
  "t60"."weeks_0_4",
  "t60"."weeks_4_8",
  "t60"."weeks_8_13",
  "t60"."weeks_13_26",
  "t60"."weeks_over_26"
FROM (
  SELECT
    "t59"."slot",
    COUNT(*) AS "waiting",
    AVG(CAST("t59"."days_waited" AS DOUBLE)) AS "waited_mean_days",
    QUANTILE_CONT(CAST("t59"."days_waited" AS DOUBLE), 0.5) AS "waited_median_days",
    SUM(CAST("t59"."over_norm" AS BIGINT)) AS "over_norm",
    SUM(CAST("t59"."bridged" AS BIGINT)) AS "bridged",
    SUM(
      CAST((
        "t59"."days_waited" > -1
      ) AND (
        "t59"."days_waited" <= 28
      ) AS BIGINT)
    ) AS "weeks_0_4",
    SUM(
      CAST((
        "t59"."days_waited" > 28
      ) AND (
        "t59"."days_waited" <= 56
      ) AS BIGINT)
    ) AS "weeks_4_8",
    SUM(
      CAST((
        "t59"."days_waited" > 56
      ) AND (
        "t59"."days_waited" <= 91
      ) AS BIGINT)
    ) AS "weeks_8_13",
    SUM(
      CAST((
        "t59"."days_waited" > 91
      ) AND (
        "t59"."days_waited" <= 182
      ) AS BIGINT)
    ) AS "weeks_13_26",
    SUM(CAST("t59"."days_waited" > 182 AS BIGINT)) AS "weeks_over_26"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t57".*
        EXCLUDE ("b_allocation", "b_slot", "b_source")
      FROM (
        SELECT
          "t56"."allocation_id",
          "t56"."client_key",
          "t56"."birth_date",
          "t56"."gender",
          "t56"."municipality_code",
          "t56"."law",
          "t56"."product_category",
          "t56"."product_code",
          "t56"."provider_code",
          "t56"."referrer",
          "t56"."delivery_form",
          "t56"."start_date",
          "t56"."end_date",
          "t56"."source",
          "t56"."decision_date",
          "t56"."first_start",
          "t56"."clock_start",
          "t56"."wait_days",
          "t56"."norm_days",
          "t56"."birth",
          "t56"."law_for_age",
          "t56"."slot",
          "t56"."slot_first",
          "t56"."slot_last",
          "t56"."days_waited",
          "t56"."over_norm",
          "t56"."b_slot",
          "t56"."b_source",
          "t56"."b_allocation",
          "t56"."b_slot" IS NOT NULL AS "bridged"
        FROM (
          SELECT
            "t52"."allocation_id",
            "t52"."client_key",
            "t52"."birth_date",
            "t52"."gender",
            "t52"."municipality_code",
            "t52"."law",
            "t52"."product_category",
            "t52"."product_code",
            "t52"."provider_code",
            "t52"."referrer",
            "t52"."delivery_form",
            "t52"."start_date",
            "t52"."end_date",
            "t52"."source",
            "t52"."decision_date",
            "t52"."first_start",
            "t52"."clock_start",
            "t52"."wait_days",
            "t52"."norm_days",
            "t52"."birth",
            "t52"."law_for_age",
            "t52"."slot",
            "t52"."slot_first",
            "t52"."slot_last",
            "t52"."days_waited",
            "t52"."over_norm",
            "t55"."b_slot",
            "t55"."b_source",
            "t55"."b_allocation"
          FROM (
            SELECT
              "t48"."allocation_id",
              "t48"."client_key",
              "t48"."birth_date",
              "t48"."gender",
              "t48"."municipality_code",
              "t48"."law",
              "t48"."product_category",
              "t48"."product_code",
              "t48"."provider_code",
              "t48"."referrer",
              "t48"."delivery_form",
              "t48"."start_date",
              "t48"."end_date",
              "t48"."source",
              "t48"."decision_date",
              "t48"."first_start",
              "t48"."clock_start",
              "t48"."wait_days",
              "t48"."norm_days",
              "t48"."birth",
              "t48"."law_for_age",
              "t48"."slot",
              "t48"."slot_first",
              "t48"."slot_last",
              DATE_DIFF('DAY', "t48"."clock_start", "t48"."slot_last") AS "days_waited",
              COALESCE(
                DATE_DIFF('DAY', "t48"."clock_start", "t48"."slot_last") > "t48"."norm_days",
                FALSE
              ) AS "over_norm"
            FROM "t47" AS "t48"
            WHERE
              DATE_DIFF('DAY', "t48"."clock_start", "t48"."slot_last") >= 7
          ) AS "t52"
          LEFT OUTER JOIN (
            SELECT DISTINCT
              *
            FROM (
              SELECT
                "t50"."b_slot",
                "t50"."b_source",
                "t50"."b_allocation"
              FROM (
                SELECT
                  "t48"."slot" AS "b_slot",
                  "t48"."slot_last" AS "b_day",
                  "t48"."source" AS "b_source",
                  "t48"."allocation_id" AS "b_allocation",
                  "t48"."client_key" AS "b_client",
                  "t48"."law" AS "b_law"
                FROM "t47" AS "t48"
                WHERE
                  DATE_DIFF('DAY', "t48"."clock_start", "t48"."slot_last") >= 7
              ) AS "t50"
              INNER JOIN (
                SELECT
                  *
                FROM (
                  SELECT
                    "t10"."client_key" AS "c_client",
                    "t10"."law" AS "c_law",
                    "t10"."source" AS "c_source",
                    "t10"."allocation_id" AS "c_allocation",
                    "t12"."d_start" AS "c_start",
                    COALESCE("t12"."d_end", MAKE_DATE(9999, 12, 31)) AS "c_end"
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
                  ) AS "t12"
                    ON "t10"."source" = "t12"."d_source"
                    AND "t10"."allocation_id" = "t12"."d_allocation"
                ) AS "t17"
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
              ) AS "t19"
                ON "t50"."b_client" = "t19"."c_client"
                AND "t50"."b_law" = "t19"."c_law"
                AND (
                  (
                    "t50"."b_source" <> "t19"."c_source"
                  )
                  OR (
                    "t50"."b_allocation" <> "t19"."c_allocation"
                  )
                )
                AND "t19"."c_start" <= "t50"."b_day"
                AND "t19"."c_end" >= "t50"."b_day"
            ) AS "t53"
          ) AS "t55"
            ON "t52"."slot" = "t55"."b_slot"
            AND "t52"."source" = "t55"."b_source"
            AND "t52"."allocation_id" = "t55"."b_allocation"
        ) AS "t56"
      ) AS "t57"
    ) AS "t58"
  ) AS "t59"
  GROUP BY
    1
) AS "t60"
