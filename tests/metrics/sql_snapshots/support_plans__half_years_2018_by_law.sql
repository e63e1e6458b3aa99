SELECT
  *
FROM (
  SELECT
    "t26"."slot",
    "t26"."law",
    COUNT(*) AS "support_plans"
  FROM (
    SELECT
      "t25".*
      EXCLUDE ("slot_index")
    FROM (
      SELECT
        "t24"."client_key",
        "t24"."law",
        "t24"."plan_on",
        "t24"."team",
        "t24"."birth",
        "t24"."slot_index",
        "t9"."slot",
        "t9"."slot_first",
        "t9"."slot_last"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t21"."client_key",
            "t21"."law",
            "t21"."plan_on",
            COALESCE("t21"."team", 'onbekend') AS "team",
            CAST(NULL AS DATE) AS "birth",
            CAST(FLOOR(
              (
                (
                  (
                    (
                      EXTRACT(year FROM "t21"."plan_on") * 12
                    ) + EXTRACT(month FROM "t21"."plan_on")
                  ) - 1
                ) - 24216
              ) / (
                6
              )
            ) AS BIGINT) AS "slot_index"
          FROM (
            SELECT
              "t20"."source",
              "t20"."request_id",
              "t20"."client_key",
              "t20"."law",
              "t20"."kind",
              "t20"."team",
              "t20"."received_on",
              "t20"."decided_on",
              "t20"."outcome",
              "t20"."suspended_days",
              "t20"."extended_days",
              "t20"."product_category",
              "t20"."plan_on",
              "t20"."birth_date",
              "t20"."term_days",
              "t20"."allowed_days",
              ROW_NUMBER() OVER (
                PARTITION BY "t20"."client_key", "t20"."law", "t20"."plan_on"
                ORDER BY "t20"."received_on" ASC, CASE WHEN "t20"."kind" = 'melding' THEN 0 ELSE 1 END ASC, "t20"."source" ASC, "t20"."request_id" ASC
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
              ) - 1 AS "pick"
            FROM (
              SELECT
                "t19"."source",
                "t19"."request_id",
                "t19"."client_key",
                "t19"."law",
                "t19"."kind",
                "t19"."team",
                "t19"."received_on",
                "t19"."decided_on",
                "t19"."outcome",
                "t19"."suspended_days",
                "t19"."extended_days",
                "t19"."product_category",
                "t19"."plan_on",
                "t19"."birth_date",
                "t19"."norm_days" AS "term_days",
                "t19"."norm_days" + (
                  COALESCE("t19"."suspended_days", 0) + COALESCE("t19"."extended_days", 0)
                ) AS "allowed_days"
              FROM (
                SELECT
                  "t6"."source",
                  "t6"."request_id",
                  "t6"."client_key",
                  "t6"."law",
                  "t6"."kind",
                  "t6"."team",
                  "t6"."received_on",
                  "t6"."decided_on",
                  "t6"."outcome",
                  "t6"."suspended_days",
                  "t6"."extended_days",
                  "t6"."product_category",
                  "t6"."plan_on",
                  "t6"."birth_date",
                  "t6"."k_applies",
                  "t6"."k_category",
                  "t6"."k_provider",
                  "t18"."law" AS "law_right",
                  "t18"."applies_to",
                  "t18"."norm_category",
                  "t18"."norm_provider",
                  "t18"."norm_days"
                FROM (
                  SELECT
                    "t1"."source",
                    "t1"."request_id",
                    "t1"."client_key",
                    "t1"."law",
                    "t1"."kind",
                    "t1"."team",
                    "t1"."received_on",
                    "t1"."decided_on",
                    "t1"."outcome",
                    "t1"."suspended_days",
                    "t1"."extended_days",
                    "t1"."product_category",
                    "t1"."plan_on",
                    "t1"."birth_date",
                    "t1"."kind" AS "k_applies",
                    COALESCE("t1"."product_category", '') AS "k_category",
                    COALESCE(CAST(NULL AS TEXT), '') AS "k_provider"
                  FROM "request_versions" AS "t1"
                  WHERE
                    "t1"."superseded_at" IS NULL
                ) AS "t6"
                LEFT OUTER JOIN (
                  SELECT
                    "t16"."k_law" AS "law",
                    "t16"."k_applies" AS "applies_to",
                    "t16"."norm_category",
                    "t16"."norm_provider",
                    "t16"."norm_days"
                  FROM (
                    SELECT
                      "t15"."k_law",
                      "t15"."k_applies",
                      "t15"."norm_category",
                      "t15"."norm_provider",
                      "t15"."n_law",
                      "t15"."n_applies",
                      "t15"."n_category",
                      "t15"."n_provider",
                      "t15"."norm_days",
                      "t15"."n_loaded",
                      ROW_NUMBER() OVER (
                        PARTITION BY "t15"."k_law", "t15"."k_applies", "t15"."norm_category", "t15"."norm_provider"
                        ORDER BY (
                          CAST("t15"."n_provider" <> '' AS BIGINT) * 2
                        ) + CAST("t15"."n_category" <> '' AS BIGINT) DESC, "t15"."n_loaded" DESC
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                      ) - 1 AS "pick"
                    FROM (
                      SELECT
                        "t8"."k_law",
                        "t8"."k_applies",
                        "t8"."norm_category",
                        "t8"."norm_provider",
                        "t14"."n_law",
                        "t14"."n_applies",
                        "t14"."n_category",
                        "t14"."n_provider",
                        "t14"."norm_days",
                        "t14"."n_loaded"
                      FROM (
                        SELECT DISTINCT
                          "t1"."law" AS "k_law",
                          "t1"."kind" AS "k_applies",
                          COALESCE(COALESCE("t1"."product_category", ''), '') AS "norm_category",
                          COALESCE(COALESCE(CAST(NULL AS TEXT), ''), '') AS "norm_provider"
                        FROM "request_versions" AS "t1"
                        WHERE
                          "t1"."superseded_at" IS NULL
                      ) AS "t8"
                      INNER JOIN (
                        SELECT
                          "t12"."law" AS "n_law",
                          "t12"."applies_to" AS "n_applies",
                          COALESCE(CAST("t12"."product_category" AS TEXT), '') AS "n_category",
                          COALESCE(CAST("t12"."provider_code" AS TEXT), '') AS "n_provider",
                          CAST("t12"."days" AS BIGINT) AS "norm_days",
                          TRUE AS "n_loaded"
                        FROM (
                          SELECT
                            "t11".*
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
                            ) AS "t10"
                            WHERE
                              "t10"."_n" = 0
                          ) AS "t11"
                        ) AS "t12"
                      ) AS "t14"
                        ON "t8"."k_law" = "t14"."n_law"
                        AND "t8"."k_applies" = "t14"."n_applies"
                        AND (
                          (
                            "t14"."n_category" = ''
                          ) OR (
                            "t14"."n_category" = "t8"."norm_category"
                          )
                        )
                        AND (
                          (
                            "t14"."n_provider" = ''
                          ) OR (
                            "t14"."n_provider" = "t8"."norm_provider"
                          )
                        )
                    ) AS "t15"
                  ) AS "t16"
                  WHERE
                    "t16"."pick" = 0
                ) AS "t18"
                  ON "t6"."law" = "t18"."law"
                  AND "t6"."k_applies" = "t18"."applies_to"
                  AND "t6"."k_category" = "t18"."norm_category"
                  AND "t6"."k_provider" = "t18"."norm_provider"
              ) AS "t19"
              WHERE
                "t19"."plan_on" IS NOT NULL
            ) AS "t20"
          ) AS "t21"
          WHERE
            "t21"."pick" = 0
        ) AS "t22"
        WHERE
          "t22"."slot_index" >= 0 AND "t22"."slot_index" < 2
      ) AS "t24"
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
      ) AS "t9"
        ON "t24"."slot_index" = "t9"."slot_index"
    ) AS "t25"
  ) AS "t26"
  GROUP BY
    1,
    2
) AS "t27"
