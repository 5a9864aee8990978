using Microsoft.AspNetCore.Http.HttpResults;

namespace LipService.Api.Endpoints;

/// <summary>The offset/limit rules shared by the list endpoints.</summary>
internal static class Paging
{
    public const int MaxPageSize = 500;

    /// <summary>The 400 answer for a bad page, or null when the page is fine.</summary>
    public static ValidationProblem? Check(int offset, int limit)
    {
        if (offset < 0) return Problems.Invalid("offset", "offset must be ≥ 0.");
        if (limit is < 1 or > MaxPageSize) return Problems.Invalid("limit", $"limit must be in 1..{MaxPageSize}.");
        return null;
    }
}
