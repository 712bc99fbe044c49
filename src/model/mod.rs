//! The domain model: option values, names, the validated API spec and the facts
//! a workspace records. It depends on no generator, so every layer above can use it.

pub mod options;

pub use options::{Auth, Choose, ComputeType, IacProvider, PackageManager};
