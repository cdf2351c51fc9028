using Grains.Interfaces.Participants;

namespace Grains.Participants;

/// <summary>What a participant grain persists ("participant" in storage "rtc").</summary>
[GenerateSerializer, Alias("Rtc.ParticipantState")]
public sealed class ParticipantState
{
    /// <summary>Null when not in the room.</summary>
    [Id(0)] public ParticipantInfo? Info { get; set; }

    /// <summary>Stream ids this participant publishes, ordinal order.</summary>
    [Id(1)] public List<string> Published { get; set; } = [];

    /// <summary>Stream ids this participant subscribes to, ordinal order.</summary>
    [Id(2)] public List<string> Subscriptions { get; set; } = [];

    /// <summary>Open WHIP/WHEP session ids of this participant, ordinal order.</summary>
    [Id(3)] public List<string> Sessions { get; set; } = [];
}
