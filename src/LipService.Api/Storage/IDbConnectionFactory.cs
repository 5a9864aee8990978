using System.Data.Common;

namespace LipService.Api.Storage;

/// <summary>Opens connections to the store's database.</summary>
public interface IDbConnectionFactory
{
    SqlDialect Dialect { get; }

    /// <summary>Where the database is, for messages: the SQLite file, or the PostgreSQL host and database (never the password).</summary>
    string Location { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Brings the schema to this build's version (see <see cref="StoreMigrator"/>); safe when several processes start at once.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);
}
