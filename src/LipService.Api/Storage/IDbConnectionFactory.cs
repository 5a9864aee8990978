using System.Data.Common;

namespace LipService.Api.Storage;

/// <summary>Opens connections to the store's database.</summary>
public interface IDbConnectionFactory
{
    SqlDialect Dialect { get; }

    DbConnection Open();

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Creates the tables when missing; safe when several processes start at once.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);
}
