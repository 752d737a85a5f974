//! Loading data in formats that can run code: pickle and friends, marshal, YAML, torch,
//! numpy and Keras models, framework settings that turn pickle on, and XML parsers that
//! resolve entities.

mod keras_unsafe_load;
mod marshal_load;
mod named_file;
mod numpy_load_allow_pickle;
mod own_state_file;
mod pickle_family;
mod pickle_load;
mod pickle_serializer_setting;
mod torch_load_unsafe;
mod unpinned_model_download;
mod unsafe_yaml_load;
mod xml_external_entities;
mod xml_fix;
mod xml_parsers;
mod yaml_loaders;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &unsafe_yaml_load::RULE,
    &pickle_load::RULE,
    &marshal_load::RULE,
    &torch_load_unsafe::RULE,
    &numpy_load_allow_pickle::RULE,
    &pickle_serializer_setting::RULE,
    &keras_unsafe_load::RULE,
    &xml_external_entities::RULE,
    &unpinned_model_download::RULE,
];
