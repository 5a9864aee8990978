namespace LipService.Training.Jobs;

/// <summary>
/// Told when a runner of this process has stored a model, so that the host can act on it at once
/// (the HTTP API loads it for serving before the first request asks).
/// </summary>
public interface IModelStoredListener
{
    void ModelStored(string modelId);
}
