//! Building the object_store client for a root URL, with credentials.
//!
//! Credential discovery follows what users expect from the cloud CLIs: environment
//! first, then (for S3) the shared profile files. When nothing at all is configured the
//! store is built to send unsigned requests, so public buckets and anonymous
//! S3-compatible servers work, and so a laptop never waits on a cloud metadata service
//! that is not there. Building never sends a request.

use std::sync::Arc;

use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::http::HttpBuilder;
use object_store::{ClientOptions, ObjectStore, RetryConfig};

use super::RemoteOptions;
use super::error::RemoteError;
use super::profile;
use super::throttle::HintingConnector;
use super::url::{ParsedUrl, Scheme};

/// Environment lookup, injectable so tests need not mutate the shared process env.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// object_store's own retries are off: [`super::retry`] retries, and counts; every
/// store is built with [`HintingConnector`] so that it can honour `Retry-After`.
fn no_retries() -> RetryConfig {
    RetryConfig {
        max_retries: 0,
        ..RetryConfig::default()
    }
}

/// Builds the store for `parsed` from the real process environment.
pub(crate) fn build(
    url: &str,
    parsed: &ParsedUrl,
    options: &RemoteOptions,
) -> Result<Arc<dyn ObjectStore>, RemoteError> {
    let vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let env = |key: &str| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let store_error = |message: String| RemoteError::Store {
        url: super::url::redact_url(url),
        message,
    };
    let built: object_store::Result<Arc<dyn ObjectStore>> = match parsed.scheme {
        Scheme::S3 => {
            let builder = s3_builder(parsed, options, &vars, &env).map_err(store_error)?;
            builder.build().map(|s| Arc::new(s) as _)
        }
        Scheme::Gcs => gcs_builder(parsed, options, &env)
            .build()
            .map(|s| Arc::new(s) as _),
        Scheme::Azure => MicrosoftAzureBuilder::from_env()
            .with_url(&parsed.store_url)
            .with_retry(no_retries())
            .with_http_connector(HintingConnector)
            .build()
            .map(|s| Arc::new(s) as _),
        Scheme::Http => HttpBuilder::new()
            .with_url(&parsed.store_url)
            .with_client_options(
                ClientOptions::new().with_allow_http(parsed.store_url.starts_with("http://")),
            )
            .with_retry(no_retries())
            .with_http_connector(HintingConnector)
            .build()
            .map(|s| Arc::new(s) as _),
    };
    built.map_err(|e| store_error(construction_hint(parsed.scheme, &e)))
}

/// The builder's complaint plus where the missing setting usually comes from.
fn construction_hint(scheme: Scheme, error: &object_store::Error) -> String {
    let what = super::retry::redact_text(&error.to_string());
    let hint = match scheme {
        Scheme::S3 => {
            "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or pass \
             --s3-endpoint for an S3-compatible store"
        }
        Scheme::Gcs => "set GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_SERVICE_ACCOUNT to a key file",
        Scheme::Azure => {
            "set AZURE_STORAGE_ACCOUNT_NAME and a credential (AZURE_STORAGE_ACCOUNT_KEY, \
             AZURE_STORAGE_SAS_KEY or AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/AZURE_TENANT_ID)"
        }
        Scheme::Http => "check the URL",
    };
    format!("{what}; {hint}")
}

/// The S3 builder as `AmazonS3Builder::from_env` would make it from `vars`, plus
/// profile-file credentials, the `--s3-endpoint` override and the anonymous fallback.
///
/// `from_env`'s loop is repeated here over an explicit variable list (it is four lines)
/// so tests can check credential selection without touching the process environment.
pub(crate) fn s3_builder(
    parsed: &ParsedUrl,
    options: &RemoteOptions,
    vars: &[(String, String)],
    env: Env<'_>,
) -> Result<AmazonS3Builder, String> {
    let mut builder = AmazonS3Builder::new();
    for (key, value) in vars.iter().filter(|(k, _)| k.starts_with("AWS_")) {
        if let Ok(config_key) = key.to_ascii_lowercase().parse() {
            builder = builder.with_config(config_key, value);
        }
    }
    builder = builder
        .with_url(&parsed.store_url)
        .with_retry(no_retries())
        .with_http_connector(HintingConnector);
    if let Some(endpoint) = &options.s3_endpoint {
        builder = builder
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"))
            .with_virtual_hosted_style_request(false);
    }
    let has = |b: &AmazonS3Builder, k| b.get_config_value(&k).is_some_and(|v| !v.is_empty());
    let env_keys = has(&builder, AmazonS3ConfigKey::AccessKeyId)
        || has(&builder, AmazonS3ConfigKey::SecretAccessKey);
    let delegated = (has(&builder, AmazonS3ConfigKey::WebIdentityTokenFile)
        && has(&builder, AmazonS3ConfigKey::RoleArn))
        || has(&builder, AmazonS3ConfigKey::ContainerCredentialsRelativeUri)
        || has(&builder, AmazonS3ConfigKey::ContainerCredentialsFullUri);
    let need_keys = !env_keys && !delegated;
    let need_region = !has(&builder, AmazonS3ConfigKey::Region);
    let profile = match profile::load(env) {
        Ok(p) => p,
        // A profile we cannot use only matters when it is where the keys would come from.
        Err(message) if need_keys => return Err(message),
        Err(_) => None,
    };
    let mut profile_keys = false;
    if let Some(p) = profile {
        if need_region && let Some(region) = &p.region {
            builder = builder.with_region(region);
        }
        if need_keys && p.has_keys() {
            profile_keys = true;
            builder = with_profile_keys(builder, p);
        }
    }
    if !has(&builder, AmazonS3ConfigKey::Region) {
        // S3-compatible stores accept any region; AWS redirects, and the error says so.
        builder = builder.with_region("us-east-1");
    }
    if need_keys && !profile_keys && !options.use_instance_metadata {
        builder = builder.with_skip_signature(true);
    }
    Ok(builder)
}

fn with_profile_keys(mut builder: AmazonS3Builder, p: profile::Profile) -> AmazonS3Builder {
    if let Some(key) = p.access_key_id {
        builder = builder.with_access_key_id(key);
    }
    if let Some(secret) = p.secret_access_key {
        builder = builder.with_secret_access_key(secret);
    }
    if let Some(token) = p.session_token {
        builder = builder.with_token(token);
    }
    builder
}

/// The GCS builder from the environment; unsigned when no credential is configured
/// (no key file, no application-default credentials) and metadata is not wanted.
fn gcs_builder(
    parsed: &ParsedUrl,
    options: &RemoteOptions,
    env: Env<'_>,
) -> GoogleCloudStorageBuilder {
    let builder = GoogleCloudStorageBuilder::from_env()
        .with_url(&parsed.store_url)
        .with_retry(no_retries())
        .with_http_connector(HintingConnector);
    let configured = [
        "GOOGLE_SERVICE_ACCOUNT",
        "GOOGLE_SERVICE_ACCOUNT_PATH",
        "GOOGLE_SERVICE_ACCOUNT_KEY",
        "GOOGLE_APPLICATION_CREDENTIALS",
    ]
    .iter()
    .any(|k| env(k).is_some_and(|v| !v.is_empty()));
    let adc = env("HOME").is_some_and(|home| {
        std::path::Path::new(&home)
            .join(".config/gcloud/application_default_credentials.json")
            .is_file()
    });
    if configured || adc || options.use_instance_metadata {
        builder
    } else {
        builder.with_skip_signature(true)
    }
}

#[cfg(test)]
mod tests {
    use super::super::url::parse;
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn builder_for(
        url: &str,
        options: &RemoteOptions,
        pairs: &[(&str, &str)],
    ) -> Result<AmazonS3Builder, String> {
        let vars = vars(pairs);
        let env = |key: &str| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        s3_builder(&parse(url).unwrap(), options, &vars, &env)
    }

    fn value(b: &AmazonS3Builder, key: AmazonS3ConfigKey) -> Option<String> {
        b.get_config_value(&key)
    }

    #[test]
    fn no_credentials_means_unsigned_requests_in_us_east_1() {
        let home = tempfile::tempdir().unwrap();
        let home = home.path().to_str().unwrap();
        let b = builder_for("s3://b/p", &RemoteOptions::default(), &[("HOME", home)]).unwrap();
        assert_eq!(
            value(&b, AmazonS3ConfigKey::SkipSignature).as_deref(),
            Some("true")
        );
        assert_eq!(
            value(&b, AmazonS3ConfigKey::Region).as_deref(),
            Some("us-east-1")
        );
        assert!(b.build().is_ok());
    }

    #[test]
    fn environment_keys_win_and_are_signed() {
        let b = builder_for(
            "s3://b/p",
            &RemoteOptions::default(),
            &[
                ("AWS_ACCESS_KEY_ID", "AKIAENV"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
                ("AWS_REGION", "eu-west-3"),
            ],
        )
        .unwrap();
        assert_eq!(
            value(&b, AmazonS3ConfigKey::AccessKeyId).as_deref(),
            Some("AKIAENV")
        );
        assert_eq!(
            value(&b, AmazonS3ConfigKey::SkipSignature).as_deref(),
            Some("false")
        );
        assert_eq!(
            value(&b, AmazonS3ConfigKey::Region).as_deref(),
            Some("eu-west-3")
        );
    }

    #[test]
    fn profile_files_supply_keys_and_region() {
        let dir = tempfile::tempdir().unwrap();
        let creds = dir.path().join("credentials");
        let config = dir.path().join("config");
        std::fs::write(
            &creds,
            "[team]\naws_access_key_id=AKIATEAM\naws_secret_access_key=x\n",
        )
        .unwrap();
        std::fs::write(&config, "[profile team]\nregion=ap-south-1\n").unwrap();
        let b = builder_for(
            "s3://b/p",
            &RemoteOptions::default(),
            &[
                ("AWS_PROFILE", "team"),
                ("AWS_SHARED_CREDENTIALS_FILE", creds.to_str().unwrap()),
                ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ],
        )
        .unwrap();
        assert_eq!(
            value(&b, AmazonS3ConfigKey::AccessKeyId).as_deref(),
            Some("AKIATEAM")
        );
        assert_eq!(
            value(&b, AmazonS3ConfigKey::Region).as_deref(),
            Some("ap-south-1")
        );
        assert_eq!(
            value(&b, AmazonS3ConfigKey::SkipSignature).as_deref(),
            Some("false")
        );
    }

    #[test]
    fn endpoint_option_means_path_style_and_plain_http() {
        let options = RemoteOptions {
            s3_endpoint: Some("http://127.0.0.1:8333".into()),
            ..RemoteOptions::default()
        };
        let b = builder_for("s3://b/p", &options, &[]).unwrap();
        assert_eq!(
            value(&b, AmazonS3ConfigKey::Endpoint).as_deref(),
            Some("http://127.0.0.1:8333")
        );
        assert_eq!(
            value(&b, AmazonS3ConfigKey::VirtualHostedStyleRequest).as_deref(),
            Some("false")
        );
        assert!(b.build().is_ok());
    }

    #[test]
    fn unusable_profile_is_reported_only_when_keys_are_needed() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[profile sso]\nsso_session = corp\n").unwrap();
        let config = config.to_str().unwrap();
        let pairs = [("AWS_PROFILE", "sso"), ("AWS_CONFIG_FILE", config)];
        let err = builder_for("s3://b/p", &RemoteOptions::default(), &pairs).unwrap_err();
        assert!(err.contains("export-credentials"), "{err}");
        let with_keys = [
            pairs[0],
            pairs[1],
            ("AWS_ACCESS_KEY_ID", "A"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
        ];
        assert!(builder_for("s3://b/p", &RemoteOptions::default(), &with_keys).is_ok());
    }
}
