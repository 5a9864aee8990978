namespace LipService.Training.Specs;

/// <summary>How the learning rate changes over the epochs; wire and stored names in <see cref="SpecChoices.LearningRateSchedule"/>.</summary>
public enum ScheduleKind
{
    /// <summary>The same rate every epoch.</summary>
    Constant,

    /// <summary>Epoch e (from 1) of E runs at ½·(1 + cos(π·(e−1)/E)) of the rate.</summary>
    Cosine,
}
