using MediaPlane.Routing;

namespace MediaPlane.Tests.Routing.Simulcast;

/// <summary>When one consumer changes simulcast layers, and how it asks the publisher for the keyframe it needs.</summary>
public class SimulcastLayerSwitcherTests
{
    [Fact]
    public void The_first_layer_starts_at_its_keyframe_and_other_layers_are_dropped()
    {
        var switcher = new SimulcastLayerSwitcher(initialLayer: 2);

        switcher.OnPacket(2, keyframeStart: false, target: 2, sequence: 10).Should().Be(LayerDecision.Drop);
        switcher.OnPacket(0, keyframeStart: true, target: 2, sequence: 50).Should().Be(LayerDecision.Drop, "not the target");
        switcher.CurrentLayer.Should().Be(SimulcastLayerSwitcher.None);
        switcher.OnPacket(2, keyframeStart: true, target: 2, sequence: 11).Should().Be(LayerDecision.Switch);
        switcher.OnPacket(2, keyframeStart: false, target: 2, sequence: 12).Should().Be(LayerDecision.Forward);
        switcher.OnPacket(1, keyframeStart: true, target: 2, sequence: 90).Should().Be(LayerDecision.Drop);
        switcher.CurrentLayer.Should().Be(2);
    }

    [Fact]
    public void A_requested_layer_waits_for_its_keyframe_while_the_current_one_goes_on()
    {
        var switcher = new SimulcastLayerSwitcher(initialLayer: 2);
        switcher.OnPacket(2, true, 2, 100).Should().Be(LayerDecision.Switch);

        switcher.RequestLayer(0);
        switcher.RequestedLayer.Should().Be(0);
        for (ushort i = 0; i < 5; i++)
        {
            switcher.OnPacket(0, false, 0, (ushort)(500 + i)).Should().Be(LayerDecision.Drop, "no switch before the keyframe");
            switcher.OnPacket(2, false, 0, (ushort)(101 + i)).Should().Be(LayerDecision.Forward, "the old layer plays until then");
        }
        switcher.KeyframeLayer.Should().Be(0);
        switcher.OnPacket(0, true, 0, 505).Should().Be(LayerDecision.Switch);
        switcher.OnPacket(2, true, 0, 106).Should().Be(LayerDecision.Drop);
        switcher.OnPacket(0, false, 0, 506).Should().Be(LayerDecision.Forward);
        switcher.OnPacket(0, false, 0, 504).Should().Be(LayerDecision.Drop, "older than the switch keyframe: its number was given out");
        switcher.CurrentLayer.Should().Be(0);
        switcher.KeyframeLayer.Should().Be(0);
    }

    [Fact]
    public void A_keyframe_is_requested_once_per_switch_then_retried_at_most_a_bounded_number_of_times()
    {
        var switcher = new SimulcastLayerSwitcher(initialLayer: 1);
        long now = 10_000;
        switcher.OnPacket(0, false, 1, 1);

        switcher.TakeKeyframeRequest(now, out int layer).Should().BeTrue();
        layer.Should().Be(1);
        switcher.TakeKeyframeRequest(now + 10, out _).Should().BeFalse("once per request");
        switcher.TakeKeyframeRequest(now + SimulcastLimits.KeyframeRetryMillis - 1, out _).Should().BeFalse();
        int requests = 1;
        for (long t = now; t < now + 20 * SimulcastLimits.KeyframeRetryMillis; t += 100)
        {
            switcher.OnPacket(0, false, 1, 2);
            if (switcher.TakeKeyframeRequest(t, out _))
                requests++;
        }
        requests.Should().Be(SimulcastLimits.MaxKeyframeRequestsPerSwitch);

        // The keyframe arrives: nothing more is asked; a new request asks again at once.
        switcher.OnPacket(1, true, 1, 3).Should().Be(LayerDecision.Switch);
        switcher.TakeKeyframeRequest(now + 100_000, out _).Should().BeFalse();
        switcher.RequestLayer(0);
        switcher.OnPacket(1, false, 0, 4).Should().Be(LayerDecision.Forward);
        switcher.TakeKeyframeRequest(now + 100_001, out layer).Should().BeTrue();
        layer.Should().Be(0);
    }
}
