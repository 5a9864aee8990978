namespace LipService.Api.Serving;

/// <summary>
/// Images scored by one model with each answer certified (<see cref="CertifiedAnswers"/>): what
/// /predict, /attack and the Open Inference Protocol (REST and gRPC) each write in their own form.
/// </summary>
/// <param name="Model">The model that answered; read it while its lease is held.</param>
/// <param name="Scores"><see cref="LoadedModel.Outputs"/> scores per image, image after image.</param>
public sealed record CertifiedScores(LoadedModel Model, int Count, float[] Scores, int[] Labels, double[] Radii);
