//! fastgen scaffolds serverless FastAPI APIs on AWS inside an Nx-compatible
//! monorepo. Data flows one way: the command line ([`args`]) is resolved into
//! a validated [`model`] ([`settings`], with the workspace's [`facts`]); a
//! generator ([`generators`]) turns it into a [`plan`], which [`render`]s
//! templates and [`edit`]s shared files in a virtual [`tree`]; the [`cli`]
//! prints the change list, commits it and runs the installs.
#![warn(missing_docs)]

pub mod args;
pub mod cli;
pub mod edit;
pub mod facts;
pub mod gateway;
pub mod generators;
pub mod model;
pub mod plan;
pub mod render;
pub mod settings;
pub mod tree;
