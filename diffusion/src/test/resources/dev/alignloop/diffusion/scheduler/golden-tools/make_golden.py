"""Makes golden scheduler traces with diffusers v0.25.0's scheduler code (shimmed), torch float32."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np, torch
import st
from dshim.utils import torch_utils
from dshim.schedulers.scheduling_ddim import DDIMScheduler
from dshim.schedulers.scheduling_ddpm import DDPMScheduler
from dshim.schedulers.scheduling_euler_discrete import EulerDiscreteScheduler
from dshim.schedulers.scheduling_dpmsolver_multistep import DPMSolverMultistepScheduler
CLS = {c.__name__: c for c in [DDIMScheduler, DDPMScheduler, EulerDiscreteScheduler, DPMSolverMultistepScheduler]}
SD = dict(beta_start=0.00085, beta_end=0.012, beta_schedule='scaled_linear')
CASES = [
  ('euler-sd-linspace-eps', 'EulerDiscreteScheduler', dict(SD), 12, {}),
  ('euler-sd-leading-vpred', 'EulerDiscreteScheduler', dict(SD, timestep_spacing='leading', steps_offset=1, prediction_type='v_prediction'), 10, {}),
  ('euler-trailing-karras', 'EulerDiscreteScheduler', dict(SD, timestep_spacing='trailing', use_karras_sigmas=True), 8, {}),
  ('euler-loglinear-sample', 'EulerDiscreteScheduler', dict(interpolation_type='log_linear', prediction_type='sample'), 7, {}),
  ('euler-continuous-vpred', 'EulerDiscreteScheduler', dict(SD, timestep_type='continuous', prediction_type='v_prediction'), 6, {}),
  ('euler-zero-snr-trailing-vpred', 'EulerDiscreteScheduler', dict(SD, rescale_betas_zero_snr=True, timestep_spacing='trailing', prediction_type='v_prediction'), 6, {}),
  ('euler-karras-sigma-range', 'EulerDiscreteScheduler', dict(SD, use_karras_sigmas=True, sigma_min=0.1, sigma_max=10.0), 5, {}),
  ('dpm-2m-sd', 'DPMSolverMultistepScheduler', dict(SD), 10, {}),
  ('dpm-2m-karras-20', 'DPMSolverMultistepScheduler', dict(SD, use_karras_sigmas=True), 20, {}),
  ('dpm-leading-vpred', 'DPMSolverMultistepScheduler', dict(SD, timestep_spacing='leading', steps_offset=1, prediction_type='v_prediction'), 12, {}),
  ('dpm-trailing-order3', 'DPMSolverMultistepScheduler', dict(SD, timestep_spacing='trailing', solver_order=3), 9, {}),
  ('dpm-order3-16', 'DPMSolverMultistepScheduler', dict(SD, solver_order=3), 16, {}),
  ('dpm-dpmsolver-heun-sample', 'DPMSolverMultistepScheduler', dict(SD, algorithm_type='dpmsolver', solver_type='heun', prediction_type='sample'), 10, {}),
  ('dpm-dpmsolver-midpoint-eps', 'DPMSolverMultistepScheduler', dict(algorithm_type='dpmsolver'), 8, {}),
  ('dpm-heun-plusplus', 'DPMSolverMultistepScheduler', dict(SD, solver_type='heun'), 8, {}),
  ('dpm-euler-at-final-linear', 'DPMSolverMultistepScheduler', dict(euler_at_final=True), 16, {}),
  ('dpm-lu-lambdas', 'DPMSolverMultistepScheduler', dict(SD, use_lu_lambdas=True), 10, {}),
  ('dpm-cosine-clipped-learned', 'DPMSolverMultistepScheduler', dict(beta_schedule='squaredcos_cap_v2', lambda_min_clipped=-5.1, variance_type='learned_range'), 10, {'out_channels': 6}),
  ('dpm-thresholding', 'DPMSolverMultistepScheduler', dict(thresholding=True, sample_max_value=1.5), 6, {'scale': 3.0}),
  ('dpm-order1', 'DPMSolverMultistepScheduler', dict(SD, solver_order=1), 5, {}),
  ('ddim-trailing-vpred-zero-snr', 'DDIMScheduler', dict(SD, rescale_betas_zero_snr=True, timestep_spacing='trailing', prediction_type='v_prediction', set_alpha_to_one=False, clip_sample=False), 10, {}),
  ('ddim-linspace-sample-clip', 'DDIMScheduler', dict(beta_schedule='squaredcos_cap_v2', timestep_spacing='linspace', prediction_type='sample', clip_sample=True, clip_sample_range=0.8), 7, {}),
  ('ddim-thresholding', 'DDIMScheduler', dict(thresholding=True, sample_max_value=1.5), 5, {'scale': 3.0}),
  ('ddim-trailing-3', 'DDIMScheduler', dict(SD, timestep_spacing='trailing', clip_sample=False), 3, {}),
  ('ddim-eta', 'DDIMScheduler', dict(SD, steps_offset=1, clip_sample=False, set_alpha_to_one=False), 8, {'eta': 0.5}),
  ('ddpm-fixed-small', 'DDPMScheduler', dict(SD, steps_offset=1, clip_sample=False), 10, {'noise': True}),
  ('ddpm-fixed-small-log-vpred', 'DDPMScheduler', dict(variance_type='fixed_small_log', prediction_type='v_prediction'), 6, {'noise': True}),
  ('ddpm-fixed-large-sigmoid', 'DDPMScheduler', dict(variance_type='fixed_large', beta_schedule='sigmoid'), 6, {'noise': True}),
  ('ddpm-learned-range', 'DDPMScheduler', dict(beta_schedule='squaredcos_cap_v2', variance_type='learned_range', timestep_spacing='trailing'), 6, {'noise': True, 'out_channels': 6}),
]
NOISE_CASES = [
  ('noise-linear', dict()),
  ('noise-cosine', dict(beta_schedule='squaredcos_cap_v2')),
  ('noise-zero-snr', dict(SD, rescale_betas_zero_snr=True)),
  ('noise-sigmoid', dict(beta_schedule='sigmoid')),
]


def write_case(d, cls, cfg, case, inputs, expected):
    os.makedirs(os.path.join(d, 'scheduler'), exist_ok=True)
    json.dump(dict(_class_name=cls, **cfg), open(os.path.join(d, 'scheduler', 'scheduler_config.json'), 'w'), indent=2, sort_keys=True)
    json.dump(case, open(os.path.join(d, 'case.json'), 'w'), indent=2)
    st.save(os.path.join(d, 'inputs.safetensors'), inputs)
    st.save(os.path.join(d, 'expected.safetensors'), expected)


out_root = os.path.join(os.environ.get('OUT', '/tmp/out'), 'golden')
for idx, (name, cls, cfg, steps, opt) in enumerate(CASES):
    torch.manual_seed(1000 + idx)
    s = CLS[cls](**cfg)
    s.set_timesteps(steps)
    shape = (2, 3, 4, 4)
    latents = torch.randn(shape) * s.init_noise_sigma * opt.get('scale', 1.0)
    n = len(s.timesteps)
    mos = torch.randn((n, 2, opt.get('out_channels', 3), 4, 4)) * opt.get('scale', 1.0)
    noise = torch.randn((n,) + shape)
    inputs = {'latents': latents.numpy().copy(), 'model_outputs': mos.numpy().copy()}
    if opt.get('eta') or opt.get('noise'):
        inputs['variance_noise'] = noise.numpy().copy()
    scaled, trace, lat = [], [], latents
    for i, t in enumerate(s.timesteps):
        scaled.append(s.scale_model_input(lat, t).numpy().copy())
        torch_utils.NOISE.clear()
        if opt.get('eta'):
            lat = s.step(mos[i], t, lat, eta=opt['eta'], variance_noise=noise[i]).prev_sample
        else:
            if opt.get('noise'):
                torch_utils.NOISE.append(noise[i])
            lat = s.step(mos[i], t, lat).prev_sample
        trace.append(lat.numpy().copy())
    init = s.init_noise_sigma
    init = init.item() if torch.is_tensor(init) else float(init)
    expected = {'timesteps': s.timesteps.to(torch.float32).numpy().copy(), 'init_noise_sigma': np.array([init], dtype=np.float32),
                'scaled_model_inputs': np.stack(scaled), 'latents': np.stack(trace)}
    case = {'tool': 'scheduler-trace', 'tolerance': 1e-4, 'steps': steps}
    if opt.get('eta'):
        case['eta'] = opt['eta']
    write_case(os.path.join(out_root, name), cls, cfg, case, inputs, expected)
for idx, (name, cfg) in enumerate(NOISE_CASES):
    torch.manual_seed(2000 + idx)
    s = DDPMScheduler(**cfg)
    original, noise = torch.randn((4, 3, 4, 4)), torch.randn((4, 3, 4, 4))
    timesteps = torch.tensor([0, 1, 500, 999], dtype=torch.int64)
    write_case(os.path.join(out_root, name), 'DDPMScheduler', cfg, {'tool': 'scheduler-noise', 'tolerance': 1e-4},
               {'original': original.numpy(), 'noise': noise.numpy(), 'timesteps': timesteps.numpy()},
               {'noisy': s.add_noise(original, noise, timesteps).numpy(), 'velocity': s.get_velocity(original, noise, timesteps).numpy(),
                'alphas_cumprod': s.alphas_cumprod.numpy()})
