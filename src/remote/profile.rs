//! AWS shared profile files (`~/.aws/credentials`, `~/.aws/config`).
//!
//! object_store reads credentials from the environment only, yet most people who run
//! `aws s3 ls` have their keys in profile files. Reading the two files ourselves lets an
//! audit of `s3://` work wherever the AWS CLI does, for static keys. Profiles that need
//! an SDK to resolve (SSO, assumed roles, credential_process) are reported with the
//! command that turns them into environment variables instead of failing with a 403.
//!
//! Everything here takes the environment as a function, so tests never touch the
//! process environment (which is shared by all test threads).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Sections of an INI file, each a map of lower-case keys to values.
pub(crate) type Ini = HashMap<String, HashMap<String, String>>;

/// What one profile supplies. Debug never shows the secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Profile {
    pub name: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    pub region: Option<String>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("access_key_id", &self.access_key_id.as_ref().map(|_| "***"))
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "***"),
            )
            .field("session_token", &self.session_token.as_ref().map(|_| "***"))
            .field("region", &self.region)
            .finish()
    }
}

impl Profile {
    /// Both halves of a static key pair are present.
    pub fn has_keys(&self) -> bool {
        self.access_key_id.is_some() && self.secret_access_key.is_some()
    }
}

/// Keys that mean "this profile gets credentials some other way", which we cannot follow.
const INDIRECT_KEYS: &[&str] = &[
    "role_arn",
    "credential_process",
    "sso_start_url",
    "sso_session",
    "web_identity_token_file",
];

/// Parses the INI dialect of the AWS CLI: `[section]` headers, `key = value` lines,
/// whole-line `#`/`;` comments. Indented lines after a key with an empty value are the
/// CLI's nested settings (`s3 =` blocks) and are skipped. Later duplicates win.
pub(crate) fn parse_ini(text: &str) -> Ini {
    let mut ini = Ini::new();
    let mut section: Option<String> = None;
    let mut nested = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if nested && raw.starts_with([' ', '\t']) {
            continue;
        }
        nested = false;
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            ini.entry(name.clone()).or_default();
            section = Some(name);
            continue;
        }
        let (Some(name), Some((key, value))) = (&section, line.split_once('=')) else {
            continue;
        };
        let value = value.trim();
        nested = value.is_empty();
        ini.entry(name.clone())
            .or_default()
            .insert(key.trim().to_ascii_lowercase(), value.to_string());
    }
    ini
}

/// Reads the profile named by `AWS_PROFILE` (else `default`) from the shared credentials
/// and config files. `Ok(None)` when there is no such profile and none was asked for.
pub(crate) fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<Profile>, String> {
    let requested = env("AWS_PROFILE").filter(|p| !p.trim().is_empty());
    let name = requested.clone().unwrap_or_else(|| "default".to_string());
    let home = env("HOME").map(PathBuf::from);
    let credentials_path = file_path(env, "AWS_SHARED_CREDENTIALS_FILE", &home, "credentials");
    let config_path = file_path(env, "AWS_CONFIG_FILE", &home, "config");
    let credentials = read_ini(credentials_path.as_deref())?;
    let config = read_ini(config_path.as_deref())?;

    let from_credentials = credentials.get(&name);
    let from_config = config
        .get(&format!("profile {name}"))
        .or_else(|| (name == "default").then(|| config.get("default")).flatten());
    if from_credentials.is_none() && from_config.is_none() {
        return match requested {
            Some(_) => Err(format!(
                "AWS_PROFILE names profile `{name}`, which is in neither {} nor {}; \
                 check the spelling or unset AWS_PROFILE",
                shown(&credentials_path),
                shown(&config_path)
            )),
            None => Ok(None),
        };
    }
    let pick = |key: &str| {
        from_credentials
            .and_then(|s| s.get(key))
            .or_else(|| from_config.and_then(|s| s.get(key)))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let profile = Profile {
        name: name.clone(),
        access_key_id: pick("aws_access_key_id"),
        secret_access_key: pick("aws_secret_access_key"),
        session_token: pick("aws_session_token"),
        region: from_config
            .and_then(|s| s.get("region"))
            .or_else(|| from_credentials.and_then(|s| s.get("region")))
            .filter(|v| !v.is_empty())
            .cloned(),
    };
    check_usable(&profile, |key| pick(key).is_some())?;
    Ok(Some(profile))
}

/// Refuses half key pairs and profiles that only an AWS SDK could resolve.
fn check_usable(profile: &Profile, has: impl Fn(&str) -> bool) -> Result<(), String> {
    let name = &profile.name;
    match (&profile.access_key_id, &profile.secret_access_key) {
        (Some(_), None) | (None, Some(_)) => {
            return Err(format!(
                "AWS profile `{name}` has only one of aws_access_key_id and \
                 aws_secret_access_key; add the other one"
            ));
        }
        (Some(_), Some(_)) => return Ok(()),
        (None, None) => {}
    }
    match INDIRECT_KEYS.iter().find(|k| has(k)) {
        Some(key) => Err(format!(
            "AWS profile `{name}` gets its credentials through `{key}`, which provaudit cannot \
             resolve; run `eval \"$(aws configure export-credentials --profile {name} \
             --format env)\"` first, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )),
        None => Ok(()),
    }
}

fn file_path(
    env: &dyn Fn(&str) -> Option<String>,
    var: &str,
    home: &Option<PathBuf>,
    file: &str,
) -> Option<PathBuf> {
    env(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".aws").join(file)))
}

/// Reads and parses one file; a missing file is an empty one.
fn read_ini(path: Option<&Path>) -> Result<Ini, String> {
    let Some(path) = path else {
        return Ok(Ini::new());
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(parse_ini(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ini::new()),
        Err(e) => Err(format!(
            "cannot read the AWS profile file {}: {e}; fix its permissions or point \
             AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE elsewhere",
            path.display()
        )),
    }
}

fn shown(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no HOME, no file)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_keys_comments_and_nested_blocks() {
        let ini = parse_ini(
            "# comment\nstray = ignored\n[default]\naws_access_key_id = AKIA1\n\
             AWS_Secret_Access_Key=s3cr3t=x\n; another\n[profile dev]\nregion = eu-west-1\n\
             s3 =\n  max_concurrent_requests = 10\n  addressing_style = path\n\
             output = json\n[ spaced ]\nk = v \n",
        );
        assert_eq!(ini["default"]["aws_access_key_id"], "AKIA1");
        // Only the first `=` separates: secrets may contain `=`.
        assert_eq!(ini["default"]["aws_secret_access_key"], "s3cr3t=x");
        assert_eq!(ini["profile dev"]["region"], "eu-west-1");
        assert_eq!(ini["profile dev"]["output"], "json");
        assert!(!ini["profile dev"].contains_key("max_concurrent_requests"));
        assert_eq!(ini["spaced"]["k"], "v");
        assert!(ini.values().all(|s| !s.contains_key("stray")));
    }

    struct Files {
        dir: tempfile::TempDir,
    }

    impl Files {
        fn new(credentials: &str, config: &str) -> Files {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join(".aws")).unwrap();
            std::fs::write(dir.path().join(".aws/credentials"), credentials).unwrap();
            std::fs::write(dir.path().join(".aws/config"), config).unwrap();
            Files { dir }
        }

        fn load(&self, vars: &[(&str, &str)]) -> Result<Option<Profile>, String> {
            let home = self.dir.path().display().to_string();
            let vars: Vec<(String, String)> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .chain([("HOME".to_string(), home)])
                .collect();
            load(&move |key| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
        }
    }

    const CREDENTIALS: &str = "[default]\naws_access_key_id = AKIADEF\n\
        aws_secret_access_key = secretdef\n\n[dev]\naws_access_key_id = AKIADEV\n\
        aws_secret_access_key = secretdev\naws_session_token = tok\n";
    const CONFIG: &str = "[default]\nregion = us-west-2\n[profile dev]\nregion = eu-central-1\n\
        [profile sso]\nsso_start_url = https://x\n[profile half]\naws_access_key_id = AKIAH\n";

    #[test]
    fn default_profile_from_home() {
        let p = Files::new(CREDENTIALS, CONFIG).load(&[]).unwrap().unwrap();
        assert_eq!(p.name, "default");
        assert_eq!(p.access_key_id.as_deref(), Some("AKIADEF"));
        assert_eq!(p.secret_access_key.as_deref(), Some("secretdef"));
        assert_eq!(p.session_token, None);
        assert_eq!(p.region.as_deref(), Some("us-west-2"));
        assert!(p.has_keys());
    }

    #[test]
    fn named_profile_uses_profile_prefix_in_config() {
        let p = Files::new(CREDENTIALS, CONFIG)
            .load(&[("AWS_PROFILE", "dev")])
            .unwrap()
            .unwrap();
        assert_eq!(p.access_key_id.as_deref(), Some("AKIADEV"));
        assert_eq!(p.session_token.as_deref(), Some("tok"));
        assert_eq!(p.region.as_deref(), Some("eu-central-1"));
    }

    #[test]
    fn explicit_file_locations_override_home() {
        let files = Files::new("", "");
        let other = tempfile::tempdir().unwrap();
        let creds = other.path().join("c");
        let conf = other.path().join("k");
        std::fs::write(&creds, CREDENTIALS).unwrap();
        std::fs::write(&conf, CONFIG).unwrap();
        let p = files
            .load(&[
                ("AWS_SHARED_CREDENTIALS_FILE", creds.to_str().unwrap()),
                ("AWS_CONFIG_FILE", conf.to_str().unwrap()),
            ])
            .unwrap()
            .unwrap();
        assert_eq!(p.access_key_id.as_deref(), Some("AKIADEF"));
    }

    #[test]
    fn missing_files_and_no_profile_mean_no_credentials() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().display().to_string();
        let got = load(&move |k| (k == "HOME").then(|| home.clone())).unwrap();
        assert_eq!(got, None);
        assert_eq!(load(&|_| None).unwrap(), None);
    }

    #[test]
    fn unusable_profiles_say_what_to_do_without_secrets() {
        let files = Files::new(CREDENTIALS, CONFIG);
        let err = files.load(&[("AWS_PROFILE", "nope")]).unwrap_err();
        assert!(
            err.contains("`nope`") && err.contains("unset AWS_PROFILE"),
            "{err}"
        );
        let err = files.load(&[("AWS_PROFILE", "sso")]).unwrap_err();
        assert!(err.contains("export-credentials"), "{err}");
        let err = files.load(&[("AWS_PROFILE", "half")]).unwrap_err();
        assert!(err.contains("only one of"), "{err}");
        let shown = format!("{:?}", files.load(&[]).unwrap());
        assert!(
            !shown.contains("secretdef") && !shown.contains("AKIADEF"),
            "{shown}"
        );
    }
}
