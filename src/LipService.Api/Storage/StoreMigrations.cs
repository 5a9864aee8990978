namespace LipService.Api.Storage;

/// <summary>Every schema step in order; the last one's version is what this build writes.</summary>
internal static class StoreMigrations
{
    public static IReadOnlyList<StoreMigration> All { get; } =
    [
        // Version 1 is the schema that databases written before versioning already have: its
        // CREATE … IF NOT EXISTS leaves their tables as they are and only adds the version.
        StoreMigration.Sql(1, "jobs, sweeps, epochs, checkpoints and models", StoreSchema.Create),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>The tables a database at <see cref="Latest"/> must have.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["jobs", "sweeps", "epochs", "checkpoints", "models"];
}
