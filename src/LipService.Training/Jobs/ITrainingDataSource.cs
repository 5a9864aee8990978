using LipService.Training.Data;
using LipService.Training.Specs;

namespace LipService.Training.Jobs;

/// <summary>Supplies the prepared train and test splits a spec asks for.</summary>
public interface ITrainingDataSource
{
    (ClassTaskData Train, ClassTaskData Test) Get(TrainingSpec spec, CancellationToken cancellationToken = default);
}
