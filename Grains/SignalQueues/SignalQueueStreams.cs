using Grains.Interfaces.Signaling.Queues;
using Orleans.Hosting;

namespace Grains.SignalQueues;

/// <summary>Registers the signal-queue stream provider (<see cref="SignalQueueAdapterFactory"/>) on silos and clients.</summary>
public static class SignalQueueStreams
{
    public static ISiloBuilder AddSignalQueueStreams(this ISiloBuilder silo, string name, Action<ISiloPersistentStreamConfigurator>? configure = null) =>
        silo.AddPersistentStreams(name, SignalQueueAdapterFactory.Create, b => configure?.Invoke(b));

    /// <summary>A client only produces; it uses the same <see cref="SignalQueueOptions.QueueCount"/> as the silos.</summary>
    public static IClientBuilder AddSignalQueueStreams(this IClientBuilder client, string name) =>
        client.AddPersistentStreams(name, SignalQueueAdapterFactory.Create, _ => { });
}
