using System.Data.Common;
using Dapper;

namespace LipService.Api.Storage;

/// <summary>
/// One step of the store's schema, numbered from 1. A step may run SQL or code (e.g. rewrite a
/// JSON column after a field rename), inside the migration transaction.
/// </summary>
internal sealed record StoreMigration(int Version, string Description, Func<DbConnection, DbTransaction, SqlDialect, Task> ApplyAsync)
{
    public static StoreMigration Sql(int version, string description, Func<SqlDialect, string> sql)
        => new(version, description, (connection, transaction, dialect) => connection.ExecuteAsync(sql(dialect), transaction: transaction));
}
