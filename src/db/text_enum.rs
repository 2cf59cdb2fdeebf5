//! Enums with one name per value: [`named_enum!`] gives them `as_str`,
//! `parse` and `ALL` from one table; [`stored_as_text!`] also stores them
//! as that name in a `TEXT` column, on both backends.

/// Implements `ALL`, `as_str` and `parse` for a fieldless enum from one
/// table of names (which should be its serde names; a unit test per enum
/// checks that they are).
#[macro_export]
macro_rules! named_enum {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The value's name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }

            /// The value with this name.
            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $($name => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

/// [`named_enum!`] plus Diesel's `ToSql`/`FromSql` as `Text`. The enum
/// derives `AsExpression` and `FromSqlRow` with
/// `#[diesel(sql_type = diesel::sql_types::Text)]`, so queries compare and
/// load it directly; an unknown stored name is a deserialization error.
#[macro_export]
macro_rules! stored_as_text {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        $crate::named_enum!($ty { $($variant => $name),+ });

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let raw = String::from_sql(bytes)?;
                Self::parse(&raw)
                    .ok_or_else(|| format!("unknown {} {raw:?}", stringify!($ty)).into())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::api_keys::scope::KeyScope;
    use crate::articles::workflow::Status;
    use crate::auth::Role;
    use crate::comments::status::CommentStatus;

    /// The stored names are the serde names, so the API and the database
    /// spell every value the same way.
    fn names_agree<T: serde::Serialize + Copy>(all: &[T], name: impl Fn(T) -> &'static str) {
        for value in all {
            assert_eq!(serde_json::to_value(value).unwrap(), name(*value));
        }
    }

    #[test]
    fn stored_names_are_the_serde_names() {
        names_agree(Status::ALL, Status::as_str);
        names_agree(CommentStatus::ALL, CommentStatus::as_str);
        names_agree(Role::ALL, Role::as_str);
        names_agree(KeyScope::ALL, KeyScope::as_str);
    }
}
