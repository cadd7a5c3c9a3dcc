pub mod corpus;
pub mod sandbox;
