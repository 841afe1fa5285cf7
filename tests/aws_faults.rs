//! Faults moto cannot produce (throttling, denial, expired credentials, 5xx mid-pagination,
//! asynchronous failures), injected with `aws-smithy-mocks` under the real SDK clients.
//!
//! Errors are served as raw HTTP answers in the services' JSON error format, so the SDK's own
//! deserializer and retry classifier see them as they would from AWS. The clients retry like
//! `AwsBackend::connect` (adaptive retry), with a 1 ms backoff.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_sdk_identitystore::operation::list_group_memberships::ListGroupMembershipsOutput;
use aws_sdk_identitystore::operation::list_users::ListUsersOutput;
use aws_sdk_identitystore::types::User as SdkUser;
use aws_sdk_ssoadmin::config::retry::{RetryConfig, RetryPartition};
use aws_sdk_ssoadmin::operation::create_account_assignment::CreateAccountAssignmentOutput;
use aws_sdk_ssoadmin::operation::describe_account_assignment_creation_status::DescribeAccountAssignmentCreationStatusOutput;
use aws_sdk_ssoadmin::operation::list_account_assignments::ListAccountAssignmentsOutput;
use aws_sdk_ssoadmin::operation::list_instances::ListInstancesOutput;
use aws_sdk_ssoadmin::operation::list_permission_sets::ListPermissionSetsOutput;
use aws_sdk_ssoadmin::types::{
    AccountAssignment, AccountAssignmentOperationStatus, InstanceMetadata,
    PrincipalType as SdkPrincipalType, StatusValues,
};
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use idc::backend::aws::{AwsBackend, AwsOptions};
use idc::backend::{Backend, BackendError, RequestState};
use idc::model::{Assignment, PrincipalType};

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-1111111111111111";
const STORE: &str = "d-1111111111";
const PS: &str = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111";

/// A client of `$krate` answering from `$rules` (any order), retrying like `connect()`.
/// `credentials: false` leaves the client without any credentials provider.
macro_rules! mocked_client {
    ($krate:ident, $rules:expr, credentials: $credentials:expr) => {{
        let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
        for rule in $rules {
            interceptor = interceptor.with_rule(rule);
        }
        if !$credentials {
            // Lets the request run into the missing credentials instead of a mocked answer.
            interceptor = interceptor.allow_passthrough();
        }
        let mut config = $krate::Config::builder()
            .behavior_version($krate::config::BehaviorVersion::latest())
            .region($krate::config::Region::new("eu-west-1"))
            .http_client(create_mock_http_client())
            .interceptor(interceptor)
            .retry_config(retry_like_connect())
            .retry_partition(fresh_partition());
        if $credentials {
            config = config.credentials_provider($krate::config::Credentials::new(
                "AKIDTEST", "secret", None, None, "test",
            ));
        }
        $krate::Client::from_conf(config.build())
    }};
}

/// The SDK shares its retry quota and adaptive rate limiter per partition across the whole
/// process: a partition per client keeps one test's throttling from slowing down the next.
fn fresh_partition() -> RetryPartition {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    RetryPartition::new(format!(
        "aws-faults-{}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

fn retry_like_connect() -> RetryConfig {
    RetryConfig::adaptive()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

#[derive(Default)]
struct Rules<'a> {
    sso: Vec<&'a Rule>,
    ids: Vec<&'a Rule>,
    org: Vec<&'a Rule>,
    no_credentials: bool,
}

fn backend(rules: Rules<'_>) -> AwsBackend {
    let credentials = !rules.no_credentials;
    AwsBackend::from_clients(
        mocked_client!(aws_sdk_ssoadmin, rules.sso, credentials: credentials),
        mocked_client!(aws_sdk_identitystore, rules.ids, credentials: credentials),
        mocked_client!(aws_sdk_organizations, rules.org, credentials: credentials),
        &AwsOptions::default(),
    )
}

/// An error answer as the JSON services send it.
fn error_body(code: &str, message: &str) -> Option<String> {
    Some(format!(r#"{{"__type":"{code}","message":"{message}"}}"#))
}

#[tokio::test]
async fn throttling_is_retried_and_the_list_arrives() {
    let rule = mock!(aws_sdk_ssoadmin::Client::list_permission_sets)
        .sequence()
        .http_status(400, error_body("ThrottlingException", "Rate exceeded"))
        .times(2)
        .output(|| {
            ListPermissionSetsOutput::builder()
                .permission_sets(PS)
                .build()
        })
        .build();
    let b = backend(Rules {
        sso: vec![&rule],
        ..Rules::default()
    });

    let sets = b.list_permission_sets(INSTANCE).await.expect("retried");

    assert_eq!(sets, vec![PS.to_string()]);
    assert_eq!(
        rule.num_calls(),
        3,
        "two throttled attempts, then the answer"
    );
    // Retries happen inside the SDK: the page is one request in the stats.
    assert_eq!(b.stats().get("ListPermissionSets"), 1);
}

#[tokio::test]
async fn throttling_beyond_the_retries_is_reported_as_throttled() {
    let rule = mock!(aws_sdk_ssoadmin::Client::list_permission_sets)
        .sequence()
        .http_status(400, error_body("ThrottlingException", "Rate exceeded"))
        .repeatedly()
        .build();
    let b = backend(Rules {
        sso: vec![&rule],
        ..Rules::default()
    });

    let err = b
        .list_permission_sets(INSTANCE)
        .await
        .expect_err("throttled");

    assert_eq!(
        err,
        BackendError::Throttled {
            operation: "ListPermissionSets".into(),
            message: "Rate exceeded".into()
        }
    );
    assert!(err.is_transient());
    assert_eq!(rule.num_calls(), 3, "max_attempts were all used");
}

#[tokio::test]
async fn organizations_access_denied_is_access_denied() {
    let rule = mock!(aws_sdk_organizations::Client::list_roots)
        .sequence()
        .http_status(
            400,
            error_body(
                "AccessDeniedException",
                "You don't have permissions to access this resource.",
            ),
        )
        .repeatedly()
        .build();
    let b = backend(Rules {
        org: vec![&rule],
        ..Rules::default()
    });

    let err = b.list_roots().await.expect_err("denied");

    assert_eq!(
        err,
        BackendError::AccessDenied {
            operation: "ListRoots".into(),
            message: "You don't have permissions to access this resource.".into()
        }
    );
    assert_eq!(rule.num_calls(), 1, "a denial is not retried");
}

#[tokio::test]
async fn an_expired_token_asks_to_log_in_again() {
    let rule = mock!(aws_sdk_ssoadmin::Client::list_instances)
        .sequence()
        .http_status(
            400,
            error_body(
                "ExpiredTokenException",
                "The security token included in the request is expired",
            ),
        )
        .repeatedly()
        .build();
    let b = backend(Rules {
        sso: vec![&rule],
        ..Rules::default()
    });

    let err = b.instance().await.expect_err("expired");

    assert!(matches!(err, BackendError::Credentials(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("aws sso login"), "{text}");
    assert!(text.contains("ListInstances"), "{text}");
    assert!(
        text.contains("security token included in the request is expired"),
        "{text}"
    );
}

#[tokio::test]
async fn missing_credentials_are_a_credentials_error_before_any_request() {
    // No rule: the request must fail while resolving credentials, before it is sent.
    let b = backend(Rules {
        no_credentials: true,
        ..Rules::default()
    });

    let err = b.list_users(STORE).await.expect_err("no credentials");

    assert!(matches!(err, BackendError::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("aws sso login"), "{err}");
}

#[tokio::test]
async fn unknown_operation_on_memberships_is_reported_as_such() {
    let rule = mock!(aws_sdk_identitystore::Client::list_group_memberships)
        .sequence()
        .http_status(
            400,
            error_body(
                "UnknownOperationException",
                "Operation not supported for AD",
            ),
        )
        .repeatedly()
        .build();
    let b = backend(Rules {
        ids: vec![&rule],
        ..Rules::default()
    });

    let err = b
        .list_group_memberships(STORE, "group-1")
        .await
        .expect_err("AD sync");

    assert_eq!(
        err,
        BackendError::UnknownOperation {
            operation: "ListGroupMemberships".into(),
            message: "Operation not supported for AD".into()
        }
    );
}

fn user(id: &str) -> SdkUser {
    SdkUser::builder()
        .identity_store_id(STORE)
        .user_id(id)
        .user_name(format!("{id}@example.com"))
        .build()
        .expect("required fields set")
}

#[tokio::test]
async fn a_5xx_on_the_second_page_fails_the_whole_list() {
    let first = mock!(aws_sdk_identitystore::Client::list_users)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            ListUsersOutput::builder()
                .users(user("u-1"))
                .next_token("page-2")
                .build()
                .expect("users is set")
        });
    let second = mock!(aws_sdk_identitystore::Client::list_users)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .sequence()
        .http_status(500, error_body("InternalServerException", "boom"))
        .repeatedly()
        .build();
    let b = backend(Rules {
        ids: vec![&first, &second],
        ..Rules::default()
    });

    let err = b.list_users(STORE).await.expect_err("no partial list");

    match &err {
        BackendError::Service { operation, message } => {
            assert_eq!(operation, "ListUsers");
            assert!(message.contains("InternalServerException"), "{message}");
            assert!(message.contains("500"), "{message}");
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert_eq!(second.num_calls(), 3, "a 5xx is retried");
    assert_eq!(b.stats().get("ListUsers"), 2);
}

fn assignment_page(principal: &str, next: Option<&str>) -> ListAccountAssignmentsOutput {
    ListAccountAssignmentsOutput::builder()
        .account_assignments(
            AccountAssignment::builder()
                .account_id("111111111111")
                .permission_set_arn(PS)
                .principal_type(SdkPrincipalType::Group)
                .principal_id(principal)
                .build(),
        )
        .set_next_token(next.map(str::to_string))
        .build()
}

#[tokio::test]
async fn every_page_is_followed_and_counted() {
    let page =
        |token: Option<&'static str>, principal: &'static str, next: Option<&'static str>| {
            mock!(aws_sdk_ssoadmin::Client::list_account_assignments)
                .match_requests(move |r| r.next_token() == token)
                .then_output(move || assignment_page(principal, next))
        };
    let rules = [
        page(None, "g-1", Some("t2")),
        page(Some("t2"), "g-2", Some("t3")),
        page(Some("t3"), "g-3", None),
    ];
    let b = backend(Rules {
        sso: rules.iter().collect(),
        ..Rules::default()
    });

    let found = b
        .list_assignments(INSTANCE, "111111111111", PS)
        .await
        .expect("three pages");

    let principals: Vec<_> = found.iter().map(|a| a.principal_id.as_str()).collect();
    assert_eq!(principals, ["g-1", "g-2", "g-3"]);
    assert!(
        found
            .iter()
            .all(|a| a.principal_type == PrincipalType::Group)
    );
    let stats = b.stats();
    assert_eq!(stats.get("ListAccountAssignments"), 3);
    assert_eq!(stats.total(), 3);
}

#[tokio::test]
async fn an_assignment_in_progress_then_failed_reports_the_reason() {
    let create = mock!(aws_sdk_ssoadmin::Client::create_account_assignment).then_output(|| {
        CreateAccountAssignmentOutput::builder()
            .account_assignment_creation_status(
                AccountAssignmentOperationStatus::builder()
                    .status(StatusValues::InProgress)
                    .request_id("req-1")
                    .build(),
            )
            .build()
    });
    let describe = mock!(aws_sdk_ssoadmin::Client::describe_account_assignment_creation_status)
        .match_requests(|r| r.account_assignment_creation_request_id() == Some("req-1"))
        .then_output(|| {
            DescribeAccountAssignmentCreationStatusOutput::builder()
                .account_assignment_creation_status(
                    AccountAssignmentOperationStatus::builder()
                        .status(StatusValues::Failed)
                        .request_id("req-1")
                        .failure_reason("Received a 404 status error: No such principal")
                        .build(),
                )
                .build()
        });
    let b = backend(Rules {
        sso: vec![&create, &describe],
        ..Rules::default()
    });
    let assignment = Assignment {
        account_id: "111111111111".into(),
        permission_set_arn: PS.into(),
        principal_type: PrincipalType::User,
        principal_id: "u-gone".into(),
    };

    let started = b
        .create_assignment(INSTANCE, &assignment)
        .await
        .expect("accepted");
    assert_eq!(started.request_id, "req-1");
    assert_eq!(started.state, RequestState::InProgress);

    let polled = b
        .assignment_creation_status(INSTANCE, &started.request_id)
        .await
        .expect("described");
    assert_eq!(
        polled.state,
        RequestState::Failed("Received a 404 status error: No such principal".into())
    );
}

fn instances(arns: &'static [&'static str]) -> Rule {
    mock!(aws_sdk_ssoadmin::Client::list_instances).then_output(move || {
        let mut out = ListInstancesOutput::builder();
        for (i, arn) in arns.iter().enumerate() {
            out = out.instances(
                InstanceMetadata::builder()
                    .instance_arn(*arn)
                    .identity_store_id(format!("d-{i}"))
                    .build(),
            );
        }
        out.build()
    })
}

#[tokio::test]
async fn the_instance_is_discovered_or_chosen_by_arn() {
    let none = instances(&[]);
    let err = backend(Rules {
        sso: vec![&none],
        ..Rules::default()
    })
    .instance()
    .await
    .expect_err("no instance");
    assert!(matches!(err, BackendError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("--demo"), "{err}");

    let two = instances(&["arn:i-a", "arn:i-b"]);
    let b = backend(Rules {
        sso: vec![&two],
        ..Rules::default()
    });
    let err = b.instance().await.expect_err("ambiguous");
    assert!(err.to_string().contains("arn:i-a, arn:i-b"), "{err}");
    let chosen = b
        .with_instance(Some("arn:i-b".into()))
        .instance()
        .await
        .expect("chosen");
    assert_eq!(chosen.instance_arn, "arn:i-b");
    assert_eq!(chosen.identity_store_id, "d-1");
}

#[tokio::test]
async fn memberships_keep_users_only_and_the_label_names_the_region() {
    use aws_sdk_identitystore::types::{GroupMembership, MemberId};
    let rule = mock!(aws_sdk_identitystore::Client::list_group_memberships).then_output(|| {
        ListGroupMembershipsOutput::builder()
            .group_memberships(
                GroupMembership::builder()
                    .identity_store_id(STORE)
                    .membership_id("m-1")
                    .group_id("g-1")
                    .member_id(MemberId::UserId("u-1".into()))
                    .build()
                    .expect("store id set"),
            )
            .build()
            .expect("memberships set")
    });
    let b = backend(Rules {
        ids: vec![&rule],
        ..Rules::default()
    });
    let members = b
        .list_group_memberships(STORE, "g-1")
        .await
        .expect("listed");
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].user_id, "u-1");
    assert_eq!(members[0].membership_id.as_deref(), Some("m-1"));
    assert_eq!(b.label(), "aws (eu-west-1)");
}

#[tokio::test]
async fn connect_takes_region_and_endpoint_without_calling_aws() {
    let opts = AwsOptions {
        region: Some("eu-west-1".into()),
        endpoint_url: Some("http://127.0.0.1:9".into()),
        ..AwsOptions::default()
    };
    let b = AwsBackend::connect(&opts).await.expect("configured");
    let label = b.label();
    assert!(label.starts_with("aws ("), "{label}");
    assert!(
        label.ends_with("eu-west-1, endpoint http://127.0.0.1:9)"),
        "{label}"
    );
    assert_eq!(b.stats().total(), 0);
}
