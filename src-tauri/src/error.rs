//! The one error every command returns: a stable machine-readable `code` and a message
//! for people, serialised as `{code, message}` for the front end.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

pub type CommandResult<T> = Result<T, CommandError>;

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> CommandError {
        CommandError { code, message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> CommandError {
        CommandError::new("not_found", message)
    }

    pub fn invalid(message: impl Into<String>) -> CommandError {
        CommandError::new("invalid_input", message)
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl From<demarche_store::StoreError> for CommandError {
    fn from(error: demarche_store::StoreError) -> CommandError {
        CommandError::new("database", error.to_string())
    }
}

impl From<demarche_chart::ChartError> for CommandError {
    fn from(error: demarche_chart::ChartError) -> CommandError {
        use demarche_chart::ChartError;
        let code = match error {
            ChartError::InvalidQuery { .. }
            | ChartError::EmptyRange { .. }
            | ChartError::InvalidValue { .. } => "invalid_input",
            ChartError::Sqlite(_) => "database",
            _ => "chart",
        };
        CommandError::new(code, error.to_string())
    }
}

impl From<demarche_library::LibraryError> for CommandError {
    fn from(error: demarche_library::LibraryError) -> CommandError {
        match error {
            demarche_library::LibraryError::Filter(error) => error.into(),
            demarche_library::LibraryError::Store(error) => error.into(),
            demarche_library::LibraryError::Sqlite(error) => CommandError::new("database", error.to_string()),
        }
    }
}

impl From<demarche_ingest::CorrectionError> for CommandError {
    fn from(error: demarche_ingest::CorrectionError) -> CommandError {
        use demarche_ingest::CorrectionError;
        let code = match error {
            CorrectionError::NoSuchStatement(_) => "not_found",
            CorrectionError::InvalidDate { .. } | CorrectionError::UnknownCountry { .. } => "invalid_input",
            CorrectionError::Store(_) => "database",
        };
        CommandError::new(code, error.to_string())
    }
}

impl From<demarche_watch::WatchError> for CommandError {
    fn from(error: demarche_watch::WatchError) -> CommandError {
        CommandError::new("watch", error.to_string())
    }
}

impl From<std::io::Error> for CommandError {
    fn from(error: std::io::Error) -> CommandError {
        CommandError::new("io", error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_as_code_and_message() {
        let error: CommandError = demarche_chart::ChartError::InvalidValue {
            what: "date",
            value: "yesterday".into(),
            expected: "YYYY-MM-DD",
        }
        .into();
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "invalid_input");
        assert!(json["message"].as_str().unwrap().contains("yesterday"));
        assert_eq!(json.as_object().unwrap().len(), 2);
    }
}
