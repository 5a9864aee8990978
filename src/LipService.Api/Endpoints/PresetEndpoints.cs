using LipService.Api.Contracts;
using LipService.Training.Specs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LipService.Api.Endpoints;

/// <summary>The named starting points for POST /jobs, with every default filled in: what a form shows.</summary>
public static class PresetEndpoints
{
    public static RouteHandlerBuilder MapPresetEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/presets", ListPresets)
            .WithTags("Jobs")
            .WithName("ListPresets")
            .WithSummary("Training presets and the spec's choices")
            .WithDescription("Each preset's full spec (as a job trained from `{\"preset\": name}` would get it, but for the seed, drawn at random when a job gives none), the default preset, and the values of the spec's choice fields. The web page builds its form from this.");

    private static Ok<PresetListResponse> ListPresets()
    {
        var presets = TrainingPresets.Names.Select(name =>
        {
            TrainingPresets.TryGet(name, out var spec);
            return new PresetResponse(name, TrainingSpecResponse.From(spec));
        }).ToList();
        var choices = new SpecChoicesResponse(
            SpecChoices.Dataset.Names,
            SpecChoices.Architecture.Names,
            SpecChoices.Activation.Names,
            SpecChoices.Loss.Names,
            SpecChoices.LearningRateSchedule.Names);
        return TypedResults.Ok(new PresetListResponse(TrainingPresets.Notebook, presets, choices));
    }
}
