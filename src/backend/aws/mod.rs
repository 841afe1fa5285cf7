//! The AWS SDK implementation of [`Backend`]: sso-admin, identitystore and Organizations.
//!
//! Every request goes through [`AwsBackend::send`], which waits for the service's rate limiter,
//! counts the request under its operation name and maps the SDK's error. List methods follow
//! every page with [`AwsBackend::paginate`].

mod backend_impl;
mod changes;
mod convert;
mod errors;
mod identitystore;
mod limiter;
mod organizations;
mod ssoadmin;

use std::future::Future;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_ssoadmin::config::http::HttpResponse;
use aws_sdk_ssoadmin::error::{ProvideErrorMetadata, SdkError};

use crate::backend::stats::RequestCounter;
use crate::backend::{BackendError, Result};
use limiter::RateLimiter;

/// How to reach AWS: the usual profile / region / endpoint overrides, and how hard to push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Sends every request there instead of AWS (moto in tests). `AWS_ENDPOINT_URL` also works.
    pub endpoint_url: Option<String>,
    /// Requests per second to sso-admin (AWS throttles at about 20); 0 disables the limiter.
    pub sso_admin_rps: u32,
    /// Requests per second to identitystore (about 20); 0 disables the limiter.
    pub identity_store_rps: u32,
    /// Requests per second to Organizations, which throttles harder; 0 disables the limiter.
    pub organizations_rps: u32,
    /// Attempts per request, first included, with the SDK's adaptive retry.
    pub max_attempts: u32,
}

impl Default for AwsOptions {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            sso_admin_rps: 20,
            identity_store_rps: 20,
            organizations_rps: 5,
            max_attempts: 5,
        }
    }
}

/// The service a request goes to; each has its own rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service {
    SsoAdmin,
    IdentityStore,
    Organizations,
}

/// Talks to one account's Identity Center through the AWS SDK.
#[derive(Debug)]
pub struct AwsBackend {
    sso: aws_sdk_ssoadmin::Client,
    ids: aws_sdk_identitystore::Client,
    org: aws_sdk_organizations::Client,
    sso_limiter: RateLimiter,
    ids_limiter: RateLimiter,
    org_limiter: RateLimiter,
    counter: RequestCounter,
    label: String,
    /// The instance chosen with `--instance`, when the account has several.
    instance_arn: Option<String>,
}

impl AwsBackend {
    /// Loads the configuration the standard way (environment, profile, SSO login) with the
    /// given overrides, and adaptive retry. Credentials are checked by the first request.
    ///
    /// # Errors
    ///
    /// [`BackendError::Validation`] when no region is configured anywhere.
    pub async fn connect(opts: &AwsOptions) -> Result<Self> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::adaptive().with_max_attempts(opts.max_attempts.max(1)));
        if let Some(profile) = &opts.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &opts.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        if let Some(url) = &opts.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        let Some(region) = config.region() else {
            return Err(BackendError::Validation {
                operation: "connect".to_string(),
                message: "no AWS region is configured: pass --region REGION or set AWS_REGION \
                          (or give the profile a region)"
                    .to_string(),
            });
        };
        let profile = opts
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()));
        let label = label(
            profile.as_deref(),
            Some(region.as_ref()),
            config.endpoint_url(),
        );
        let mut backend = Self::from_clients(
            aws_sdk_ssoadmin::Client::new(&config),
            aws_sdk_identitystore::Client::new(&config),
            aws_sdk_organizations::Client::new(&config),
            opts,
        );
        backend.label = label;
        Ok(backend)
    }

    /// Wraps clients built elsewhere: moto in integration tests, smithy mocks in fault tests.
    /// Retries are whatever the clients were configured with; the rates come from `opts`.
    #[must_use]
    pub fn from_clients(
        sso: aws_sdk_ssoadmin::Client,
        ids: aws_sdk_identitystore::Client,
        org: aws_sdk_organizations::Client,
        opts: &AwsOptions,
    ) -> Self {
        let region = opts
            .region
            .clone()
            .or_else(|| sso.config().region().map(ToString::to_string));
        let label = label(
            opts.profile.as_deref(),
            region.as_deref(),
            opts.endpoint_url.as_deref(),
        );
        Self {
            sso,
            ids,
            org,
            sso_limiter: RateLimiter::new(opts.sso_admin_rps),
            ids_limiter: RateLimiter::new(opts.identity_store_rps),
            org_limiter: RateLimiter::new(opts.organizations_rps),
            counter: RequestCounter::default(),
            label,
            instance_arn: None,
        }
    }

    /// Makes [`Backend::instance`](crate::backend::Backend::instance) pick this instance
    /// (`--instance ARN`) instead of requiring exactly one.
    #[must_use]
    pub fn with_instance(mut self, arn: Option<String>) -> Self {
        self.instance_arn = arn;
        self
    }

    fn limiter(&self, service: Service) -> &RateLimiter {
        match service {
            Service::SsoAdmin => &self.sso_limiter,
            Service::IdentityStore => &self.ids_limiter,
            Service::Organizations => &self.org_limiter,
        }
    }

    /// Sends one request: waits for the rate limiter, counts it, maps its error.
    pub(crate) async fn send<T, E, F>(
        &self,
        service: Service,
        operation: &'static str,
        request: F,
    ) -> Result<T>
    where
        F: Future<Output = std::result::Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        self.limiter(service).acquire().await;
        self.counter.count(operation);
        request
            .await
            .map_err(|err| errors::from_sdk(operation, err))
    }

    /// Follows every page: `page(token)` builds the request for one page, `items(output)`
    /// returns that page's items and the next token. Any failed page fails the whole list, so
    /// a caller never takes a partial list for a complete one.
    pub(crate) async fn paginate<O, T, E, F, Fut, I>(
        &self,
        service: Service,
        operation: &'static str,
        mut page: F,
        mut items: I,
    ) -> Result<Vec<T>>
    where
        F: FnMut(Option<String>) -> Fut,
        Fut: Future<Output = std::result::Result<O, SdkError<E, HttpResponse>>>,
        I: FnMut(O) -> (Vec<T>, Option<String>),
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let output = self.send(service, operation, page(token.clone())).await?;
            let (mut batch, next) = items(output);
            all.append(&mut batch);
            // Stop on a missing or empty token, and on a repeated one (as the SDK's paginators
            // do) so a misbehaving endpoint cannot loop us forever.
            match next {
                Some(next) if !next.is_empty() && token.as_ref() != Some(&next) => {
                    token = Some(next);
                }
                _ => return Ok(all),
            }
        }
    }
}

/// `aws (profile prod, eu-west-1)`, `aws (eu-west-1, endpoint http://127.0.0.1:5000)`.
fn label(profile: Option<&str>, region: Option<&str>, endpoint: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(profile) = profile {
        parts.push(format!("profile {profile}"));
    }
    parts.push(region.unwrap_or("no region").to_string());
    if let Some(endpoint) = endpoint {
        parts.push(format!("endpoint {endpoint}"));
    }
    format!("aws ({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_profile_region_and_endpoint() {
        assert_eq!(
            label(Some("prod"), Some("eu-west-1"), None),
            "aws (profile prod, eu-west-1)"
        );
        assert_eq!(
            label(None, Some("eu-west-1"), Some("http://127.0.0.1:5000")),
            "aws (eu-west-1, endpoint http://127.0.0.1:5000)"
        );
    }
}
