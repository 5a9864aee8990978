namespace LipService.Api.Storage;

/// <summary>Every schema step in order; the last one's version is what this build writes.</summary>
internal static class StoreMigrations
{
    public static IReadOnlyList<StoreMigration> All { get; } =
    [
        // Version 1 is the schema that databases written before versioning already have: its
        // CREATE … IF NOT EXISTS leaves their tables as they are and only adds the version.
        StoreMigration.Sql(1, "jobs, sweeps, epochs, checkpoints and models", StoreSchema.Create),
        // Multiclass and convolutional models: their specs carry classes, architecture, channels and
        // loss (JSON fields older builds would misread, hence a version), and models a lower bound.
        StoreMigration.Sql(2, "models.lipschitz_lower_bound; multiclass specs", _ => "ALTER TABLE models ADD COLUMN lipschitz_lower_bound DOUBLE PRECISION"),
        // Named models: the default that /predict answers with is chosen, not whichever finished last.
        StoreMigration.Sql(3, "aliases", _ => StoreSchema.Aliases),
        // Orthogonal convolutions and margin losses: specs name ortho-conv, pairwise-hinge and
        // offset-cce (values older builds cannot read, hence a version), and models keep what each
        // layer passes back of its bound.
        StoreMigration.Sql(4, "models.layer_gains; ortho-conv and margin-loss specs", _ => "ALTER TABLE models ADD COLUMN layer_gains TEXT"),
        // Specs name ortho-conv-unshuffle, which older builds cannot read: no table changes, only the version.
        new StoreMigration(5, "ortho-conv-unshuffle specs", (_, _, _) => Task.CompletedTask),
        // Uploaded datasets, stored in the database so that every worker of the PostgreSQL mode reads them
        // through the connection it already has; specs name them by id and carry their input shape and class names.
        StoreMigration.Sql(6, "datasets and dataset_chunks; specs of uploaded datasets", StoreSchema.Datasets),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>The tables a database at <see cref="Latest"/> must have.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["jobs", "sweeps", "epochs", "checkpoints", "models", "aliases", "datasets", "dataset_chunks"];
}
