//! The domain model: option values, names, the validated API spec and the facts
//! a workspace records. It depends on no other module of fastgen, so every layer
//! above can use it.

pub mod api;
pub mod names;
pub mod options;
pub mod workspace;

pub use api::{ApiRequest, ApiSpec};
pub use names::{NameError, Names};
pub use options::{
    Architecture, Auth, Choose, ComputeType, DEFAULT_MEMORY_SIZE, IacProvider, IntegrationPattern,
    PackageManager,
};
pub use workspace::{ExistingApi, Facts, FastgenRecord, InfraApp, WorkspaceSpec};
