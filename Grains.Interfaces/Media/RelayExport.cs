namespace Grains.Interfaces.Media;

/// <summary>An origin's answer to an export request: the track as published there, and where its relay port is.</summary>
/// <param name="Created">False when the export already existed and was only refreshed.</param>
[GenerateSerializer, Immutable, Alias("Rtc.RelayExport")]
public sealed record RelayExport(
    [property: Id(0)] PublishTrackSpec Track,
    [property: Id(1)] string RelayAddress,
    [property: Id(2)] int RelayPort,
    [property: Id(3)] bool Created);
