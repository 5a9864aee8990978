using LipService.Api.Contracts;
using LipService.Api.Datasets;
using LipService.Api.Imaging;
using LipService.Api.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace LipService.Api.Endpoints;

/// <summary>The nearest relabelled image a gradient attack finds, beside the certified radius it cannot beat.</summary>
public static class AttackEndpoints
{
    /// <summary>784 numbers written out at full float precision take under 16 KB; anything much larger is not an MNIST image.</summary>
    private const long MinRequestBytes = 256 * 1024;

    /// <summary>What one value may take written out ("0.123456789," and spaces), for an uploaded dataset's largest image.</summary>
    private const long BytesPerValue = 24;

    public static RouteHandlerBuilder MapAttackEndpoints(this IEndpointRouteBuilder app, AttackOptions options, ServingOptions serving, DatasetOptions datasets)
    {
        // The largest image an uploaded dataset may have (3 channels at Datasets:MaxSide), written out: 3×64×64 fits the minimum.
        long maxRequestBytes = Math.Max(MinRequestBytes, 3L * datasets.MaxSide * datasets.MaxSide * BytesPerValue);
        return app.MapPost("/attack", Attack)
            .WithName("Attack")
            .WithTags("Predict")
            .WithMetadata(new RequestSizeLimitAttribute(maxRequestBytes))
            .Accepts<AttackRequest>("application/json")
            .WithMetadata(new ResponseHeaderMetadata(ModelSource.HeaderName,
                "How the model that answered was chosen: `id`, `alias:NAME` or `newest`, as for POST /predict."))
            .ProducesScoringProblems()
            .WithSummary("Find the nearest image with another label, beyond the certified radius")
            .WithDescription(
                "Send JSON `{\"image\": [784 numbers in [0,1]], \"modelId\": optional, \"steps\": optional}` (row-major 28×28, white digit on black, as for POST /predict; "
                + "for a model of an uploaded dataset channels × height × width numbers, each channel's rows in turn). "
                + "The model labels the image and certifies the answer exactly as POST /predict does (`label`, `scores`, `classes`, `certifiedRadius`, `lipschitzBound`); "
                + "then a projected-gradient L2 attack looks for the smallest perturbation that changes the label: budgets grow from just above the certified radius until one flips the label, then bisection narrows the gap. "
                + "`attack.image` is the nearest image found with another label, `attack.label` its label and `attack.distance` its L2 distance from the image; "
                + "the service scores that exact image again, as /predict would, before it answers `found: true`. "
                + "The distance is never below the certified radius: that is what the certificate proves. `attack.searchedRadius` is the largest budget tried. "
                + $"`steps` is 1 to {options.MaxSteps} gradient steps (default {options.DefaultSteps}); the attack also stops after {options.TimeLimit.TotalSeconds:0.###} s and answers what it found by then. "
                + $"Each step counts as one digit of the client's rate limit shared with /predict ({serving.PredictPermitsPerSecond} per second; 429 with Retry-After beyond). "
                + $"At most {options.MaxConcurrent} attacks are computed at once (Attack:MaxConcurrent) and {options.MaxQueued} more wait their turn (Attack:MaxQueued); beyond that, 429 with Retry-After at once, so attacks never hold up /predict. "
                + $"`modelId` is a model id or an alias; without it the model /predict would use answers, and the `{ModelSource.HeaderName}` header says which.");
    }

    private static async Task<Results<Ok<AttackResponse>, ValidationProblem, ProblemHttpResult>> Attack(
        HttpContext context,
        ImageScoring scoring,
        AttackQueue queue,
        IOptions<AttackOptions> attackOptions,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var options = attackOptions.Value;
        // As /predict: one permit before the body is read, so malformed bodies are not free.
        if (ServingProblems.Take(context, scoring, 1) is { } refused) return refused;
        var (body, errors) = await JsonBody.ReadAsync<AttackRequest>(context.Request, json.Value.SerializerOptions, cancellationToken);
        if (errors is not null) return TypedResults.ValidationProblem(errors);
        if (ValidateImage(body!.Image) is { } invalid) return invalid;
        int steps = body.Steps ?? options.DefaultSteps;
        if (steps < 1 || steps > options.MaxSteps)
            return Problems.Invalid("steps", $"Steps must be 1 to {options.MaxSteps} (Attack:MaxSteps); got {steps}.");
        // Refused before the images are charged: a full queue costs the client nothing.
        using var ticket = queue.TryEnter();
        if (ticket is null) return QueueFull(context, queue, options);
        // Each step is one forward and backward pass of one image: charged as that many images.
        if (ServingProblems.ChargeImages(context, scoring, steps) is { } tooMany) return tooMany;

        using var lease = await scoring.LeaseAsync(body.ModelId, cancellationToken);
        if (lease is null) return ServingProblems.ModelNotFound(body.ModelId);
        context.Response.Headers[ModelSource.HeaderName] = lease.Source.HeaderValue;

        var model = lease.Model;
        var image = body.Image!;
        var input = model.Record.Spec.Input;
        if (image.Length != input.Pixels)
            return Problems.Invalid("image", $"The image needs exactly {input.Pixels} values for model {model.Record.Id} ({ServingProblems.InputForm(model.Record.Spec)}); got {image.Length}.");
        var answer = await ticket.RunAsync(() =>
        {
            var scores = ImageScoring.Certify(model, image, 1);
            var attack = model.Attack(image, scores.Labels[0], scores.Radii[0], steps, options.TimeLimit, cancellationToken);
            return new AttackResponse(model.Record.Id, scores.Labels[0], scores.Scores, model.Record.Spec.Classes, scores.Radii[0], model.LipschitzBound, ToOutcome(attack));
        }, cancellationToken);
        return TypedResults.Ok(answer);
    }

    /// <summary>
    /// Every running and waiting place is taken. A place frees when a running attack ends, within
    /// Attack:TimeLimit; the client is told to come back after that.
    /// </summary>
    private static ProblemHttpResult QueueFull(HttpContext context, AttackQueue queue, AttackOptions options)
    {
        int seconds = Math.Max(1, (int)Math.Ceiling(options.TimeLimit.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attacks",
            detail: $"{queue.MaxConcurrent} attacks are computed at a time (Attack:MaxConcurrent) and {queue.MaxQueued} more may wait (Attack:MaxQueued); "
                + $"all places are taken. Retry after {seconds} s. /predict is not limited by this.");
    }

    private static AttackOutcome ToOutcome(VerifiedAttack attack) => new(
        attack.Image is not null, attack.Label, attack.Distance, attack.Image, attack.Steps, attack.Elapsed.TotalMilliseconds, attack.SearchedRadius);

    private static ValidationProblem? ValidateImage(float[]? image)
    {
        if (image is null) return Problems.Invalid("image", $"Send the image: {PixelBatch.PixelsPerImage} numbers in [0, 1] (28×28, row-major; for an uploaded dataset's model, channels × height × width).");
        return PixelRange.Problem(image) is { } problem ? Problems.Invalid("image", problem) : null;
    }
}
