//! The database columns of the domain's types (server only, feature `ssr`): the traits are
//! sqlx's and the types are ours, so the orphan rule puts the impls here, beside the types.

/// Gives enums the database keeps as text (`domain::stored::Stored`) their column type: they are
/// written as their stored text and read back exactly, so a row holding any other text fails to
/// decode (`unknown role "superuser" in the database`) and the request ends in an internal error,
/// never a plausible default. A macro, not a generic impl: the orphan rule refuses
/// `impl<T: Stored> Decode<Any> for T`.
macro_rules! stored_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl sqlx::Type<sqlx::Any> for $ty {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <str as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <str as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $ty {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                Ok(<$ty as crate::stored::Stored>::read(text)?)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                let text = crate::stored::Stored::stored(*self);
                <&str as sqlx::Encode<'_, sqlx::Any>>::encode(text, buf)
            }
        }
    )+};
}

stored_column!(
    crate::role::Role,
    crate::role::Plan,
    crate::account::AccountStatus,
    crate::invite::InviteState,
    crate::invite::EmailStatus,
    crate::invite::InviteSource,
    crate::invite::LineOutcome,
    crate::access_request::RequestStatus,
    crate::access_request::Visibility,
);

/// Gives the id types (`domain::id`) their column type: a BIGINT, read and written as the `i64`
/// it wraps.
macro_rules! id_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl sqlx::Type<sqlx::Any> for $ty {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <i64 as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $ty {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                <i64 as sqlx::Decode<'r, sqlx::Any>>::decode(value).map(<$ty>::new)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <i64 as sqlx::Encode<'_, sqlx::Any>>::encode(self.get(), buf)
            }
        }
    )+};
}

id_column!(
    crate::AcademyId,
    crate::UserId,
    crate::InviteId,
    crate::TeamId,
    crate::ImportId,
    crate::CourseId,
    crate::WebhookId,
    crate::DeliveryId,
    crate::AccessRequestId,
    crate::ApiClientId,
    crate::OutboxId,
    crate::AuditEntryId,
    crate::InviteTokenId,
    crate::SignupCodeId,
    crate::PasswordResetId,
);
