using System.Globalization;

namespace LipService.Api.Tests.Postgres;

/// <summary>
/// Finds the folder holding initdb and pg_ctl: LIPSERVICE_TEST_PG_BIN when set (another layout, or to
/// see the failure), otherwise the newest /usr/lib/postgresql/&lt;version&gt;/bin that has both, which is
/// where Debian's postgresql package puts them (they are not on PATH there).
/// </summary>
internal static class PostgresBinaries
{
    public const string OverrideVariable = "LIPSERVICE_TEST_PG_BIN";
    private const string DebianRoot = "/usr/lib/postgresql";

    public static string Find() => Find(Environment.GetEnvironmentVariable(OverrideVariable));

    public static string Find(string? overrideFolder)
    {
        // A client-only version (postgresql-client-N) leaves a bin folder without initdb, hence "newest that has both".
        IEnumerable<string> candidates = overrideFolder is not null ? [overrideFolder]
            : Directory.Exists(DebianRoot) ? Directory.GetDirectories(DebianRoot).OrderByDescending(VersionOf).Select(v => Path.Combine(v, "bin"))
            : [];
        foreach (string bin in candidates)
            if (File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl"))) return bin;

        string looked = overrideFolder is not null ? $"{overrideFolder} ({OverrideVariable})" : $"{DebianRoot}/<version>/bin";
        throw new InvalidOperationException(
            $"PostgreSQL's initdb and pg_ctl were not found in {looked}. The Postgres tests start their own throwaway server "
            + "with them: install Debian's package with `apt-get install postgresql` (bash .ci/run does), "
            + "or set LIPSERVICE_TEST_POSTGRES to the admin connection string of an existing server.");
    }

    private static double VersionOf(string folder) =>
        double.TryParse(Path.GetFileName(folder), NumberStyles.Float, CultureInfo.InvariantCulture, out double version) ? version : -1;
}
