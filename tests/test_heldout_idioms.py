"""The idiom corpus (#23): fixtures written in our own words, each imitating an idiom seen in public
code (tests/fixtures/heldout/manifest.py says where), each with the finding a correct tool gives and
a twin (the same code without the idiom) that must compare clean. One hundred and fifty-one parts: ``heldout`` to
``heldout150`` (written after the detectors; expectations decided before the tool was run on them; the
first five since used to improve it; ``heldout6`` holds whole networks written the way public
repositories write them, and plain edits of them; ``heldout7`` ResNets ported from other ecosystems
and odd spellings of whole networks, and plain edits of them; ``heldout8`` ResNets for other inputs
(1-D signals, 3-D video and volumes, grayscale and multispectral images, each idiom with its input's
full shape), and plain edits of them; ``heldout9`` bugs people reported in hand-written ResNets,
each twin the same code fixed; ``heldout10`` ResNet cousins and networks that are not ResNets
compared with a torchvision ResNet, and plain edits of them; ``heldout11`` ResNets built for a task
(re-identification, face recognition, projection and embedding heads, dense-prediction backbones) as
task repositories write them, and plain edits of them; ``heldout12`` a user's own Keras functional
ResNet as the reference and their PyTorch port as the candidate, and plain edits of the ports;
``heldout13`` ResNets as tutorials, blog posts, notebooks and course assignments write them, and
plain edits of them;
``heldout14`` ResNets after deployment, compression and training-recipe tooling, and plain edits of
them; ``heldout15`` the same ResNets written with unusual low-level spellings, and plain edits of
them; ``heldout16`` ResNet variants from papers (CLIP, NF-ResNet, iResNet, BoTNet, ResNet-RS ...) as
their repositories write them, and plain edits of them; ``heldout17`` surgery on torchvision ResNets
when fine-tuning, and plain mistakes in it; ``heldout18`` ResNets as config-driven model zoos and
feature-extraction wrappers build them, and plain mistakes in their configs; ``heldout19`` ResNets
built for other domains (audio, speaker verification, OCR, board games, U-Net encoders, remote
sensing) as those repositories write them, each at its natural input shape, and plain mistakes in
such code; ``heldout20`` ResNets
whose model as built differs from the model as written (shared weights, train- or eval-only branches,
detached shortcuts, unregistered stages, edits after construction), and their harmless spellings;
``heldout21`` ResNets modernized step by step (the ConvNeXt path one change at a time, RepVGG / ACNet /
Diverse Branch blocks in training form), and plain mistakes in such code; ``heldout22`` tiny and
embedded ResNets as TinyML / on-device code writes them, preprocessing, augmentation and test-time
tricks written inside ``forward``, and plain mistakes in such code; ``heldout23`` ResNets as
semi-supervised, self-supervised, few-shot and reinforcement-learning repositories write them, and
plain mistakes in such code; ``heldout24`` ResNets that arrive converted from another framework or format
(ONNX, Caffe, TF-slim, Haiku, Keras round trips, torch.fx), and plain mistakes made in such conversions;
``heldout25`` ResNets as adversarial-robustness and certification repositories write them (model-zoo
WideResNets, robustness's AttackerModel, smoothing and regularisation wrappers, mixture BatchNorm, feature
denoising, 1-Lipschitz layers), and plain mistakes in such code);
``heldout26`` residual networks outside image classification (GAN generators and discriminators, a
diffusion UNet, WaveNet, a TCN) compared with the user's own unedited builder: refactors and single edits;
``heldout27`` ResNets as medical-imaging code writes them (MONAI's 2-D / 3-D ResNet, torchxrayvision, 2.5-D
slices, ResUNet, nnU-Net's residual encoder), and plain mistakes in such code);
``heldout28`` residual networks without convolutions or with few (tabular ResNet, ResMLP, MLP-Mixer,
InceptionTime, a residual point MLP, an L2-normalised embedder) compared with the user's own unedited
builder: refactors and single edits;
``heldout29`` ResNets as knowledge-distillation and continual-learning repositories write them (RepDistiller's
is_feat / preact ResNets, feature hooks, GEM's reduced ResNet-18, iCaRL's option A, LUCIR's modified ResNet-32,
PyCIL's dict output, MEMO's and DER's extractors) compared with the user's own builder or torchvision's:
refactors, named variants and single mistakes;
``heldout30`` ResNets as uncertainty-estimation and ensemble repositories write them (DDU's CIFAR ResNet-18,
SNGP's and DUQ's heads, MC dropout, evidential heads, Packed-Ensembles, MIMO, BatchEnsemble, averaged deep
ensembles), compared with torchvision's resnet18 or the user's own unedited builder: named variants, refactors
and single edits;
``heldout31`` memory-saving and reversible ResNets and ResNets as differential-privacy and federated-learning
repositories write them (Opacus' GroupNorm fix, weight standardisation, checkpointed stages, a Momentum
ResNet-18, HeteroFL's CIFAR ResNet-20 variants, a RevNet), and plain mistakes in such code;
``heldout32`` ResNets as video-understanding repositories write them, a 2-D ResNet over frames (TSM's temporal
shift in the TSN wrapper, mmaction2's Recognizer2D with non-local blocks, temporal pooling, TANet's TAM and
TEA's Conv1d shift, a C2D ResNet-18 inflated to 3-D) compared with the user's own unedited builder (one with
torchvision's resnet18): refactors, named variants and single mistakes;
``heldout33`` ResNets as visual-tracking and Siamese-network repositories write them (pysot's SiamRPN++ atrous
ResNet-50 and AdjustAllLayer neck, SiamDW's cropping-inside-residual CIResNet-22, STARK's frozen-BN backbone cut
at layer3, LTMU's verifier heads) compared with the user's own unedited builder or torchvision's resnet50:
refactors, named variants and single mistakes;
``heldout34`` ResNets as training frameworks and their model-surgery tools produce them (Composer's BlurPool,
SqueezeExcite and stochastic depth applied by module surgery, FFCV's BlurPoolConv2d recipe, Lightning modules,
Hydra-instantiated and Catalyst-wrapped torchvision ResNets), compared with torchvision's ResNet-18 / 50 or the
user's own unedited builder: refactors, named variants and single mistakes;
``heldout35`` ResNets as Q&A answers, issue threads and code-assistant tutorials write them from scratch (the
copied answer's empty-Sequential shortcut, a shared ReLU module, a ResidualBlock(body, shortcut) wrapper, a flat
conv2_1 ... conv5_3 ResNet-50) and the slips asked about in those threads (a resized Linear, a hard-coded 1000-class
head, _make_layer one short, the ReLU before the add, torch.flatten without start_dim, layer3 not called, identity +=
out, a 3x3 projection, BasicBlock.expansion = 2, VQ-VAE-2's inplace leading ReLU), compared with torchvision's
ResNet-18 / 50 or the user's own unedited builder: refactors, named variants and single mistakes;
``heldout36`` ResNet backbones as semantic-segmentation repositories write them (DeepLabV3 on torchvision's dilated
resnet50 through IntermediateLayerGetter, CSAIL's _nostride_dilate, the PSPNet dilation loop, an mmseg-style
ResNetV1c / V1d "d8", pytorch-deeplab-xception's DeepLabV3+ with multi-grid, torchvision's fcn_resnet50), compared with
the user's own unedited builder or torchvision's resnet50: refactors, named variants and single mistakes;
``heldout37`` ResNets whose architecture comes from a search or a config (a once-for-all elastic ResNet-50 with
weights sliced in forward, elastic depth and expand ratio; slimmable, universally slimmable and AutoSlim ResNets;
a pruning cfg list, a pasted per-conv channel list, pycls' AnyNet stage config, searched kernel sizes), compared
with torchvision's ResNet-18 / 50 or the user's own unedited builder: refactors, named variants and single
mistakes;
``heldout38`` ResNet backbones as object-detection and instance-segmentation repositories write them (an
mmdetection-style ResNet with style 'caffe', the caffe DC5 backbone and DCN stages with a plain conv standing in or
fallback_on_stride; a detectron2-style ResNet with stride_in_1x1, RES5_DILATION and FrozenBN in its spellings, and
maskrcnn-benchmark's FrozenBN without eps; torchvision's resnet_fpn_backbone; RetinaNet's FPN; CenterNet's
PoseResNet; a YOLOv1 grid head), compared with torchvision's ResNet-18 / 50 or the user's own unedited builder:
refactors, named variants and single mistakes),
``heldout39`` ResNets as person re-identification, face-recognition and metric-learning repositories write them
(reid-strong-baseline's BNNeck Baseline at last stride 1, fast-reid's EmbeddingHead and AGW with non-local blocks and
GeM, insightface's IR-ResNet with its BN-Dropout-FC-BN output layer, IR-SE, IBN-Net's IBN-a, an ArcFace head),
compared with the user's own unedited builder: refactors, named variants and single mistakes),
``heldout40`` ResNets as performance-oriented and hardware-benchmark repositories write them (NVIDIA
DeepLearningExamples' ResNet-50 v1.5 and SE-ResNeXt with its addcmul-fused, unfused and TensorRT gates, a port of the
Flax MLPerf ResNet-50 with its TPU space-to-depth stem, log_softmax and 'SAME' max pool, NVIDIA's MLPerf ResNet-50 on
fused BN(+add)+ReLU modules in channels_last, Graphcore's padded first conv and pipeline annotations, a Sequential-only
Conv+BN fuse pass, a torch.compile-friendly functional ResNet-18), compared with torchvision's ResNet-18 / 50 or the
user's own unedited builder: refactors, named variants and single mistakes),
``heldout41`` ResNets as remote-sensing and multispectral-imagery repositories write them (torchgeo's timm ResNets on
13 Sentinel-2 bands, conv1 adapted from RGB weights or left with its default bias, SSL4EO's 64 px EuroSAT stem and a
removed max pool, SSL4EO-S12's MoCo projection MLP, BigEarthNet Linear(2048, 19) and linear probe, SeCo's Sequential
backbone and fine-tuner dropout, a 12-band BigEarthNet sigmoid head, a Siamese change classifier over two stacked
4-band dates with ChangeStar's batch folding, an unshared second trunk, no abs and concatenation fusion), compared
with torchvision's ResNet-18 / 50 or the user's own unedited builder: refactors, named variants and single mistakes),
``heldout42`` ResNet backbones as OCR, scene-text-recognition and text-detection repositories write them (ASTER's and
ResNet45's recognition ResNets with (2, 1) strides and a BiLSTM, the deep-text-recognition-benchmark FAN ResNet, MASTER's
ResNet with multi-aspect GC attention, DBNet's SegDetector and PSENet's FPN on a ResNet-18, a port of PaddleOCR's
ResNet34_vd CRNN), compared with the user's own unedited builder: refactors, named variants and single mistakes),
``heldout43`` ResNets as depth-estimation and anomaly-detection repositories write them (monodepth2's ResnetEncoder,
its multi-image ResNet with the conv1 kernel concatenated and halved, its DepthDecoder and PoseDecoder; anomalib's
PaDiM and PatchCore on resnet18 / wide_resnet50_2 with PaDiM's unfold / fold concatenation, PatchMaker's unfold
aggregation and create_feature_extractor; SPADE's hooked extractor; STFPM's teacher-student ResNets and
ResNet18_MS3), compared with the user's own unedited builder: refactors, named variants and single mistakes),
``heldout44`` ResNet feature extractors as stereo-matching and optical-flow repositories write them (PSMNet's
feature_extraction with its dilated layer4, SPP branches and concatenation cost volume, GwcNet's group-wise correlation
features and volume, CFNet's Mish, RAFT's BasicEncoder with instance norm and its all-pairs correlation, RAFT's
batch-norm context encoder split into tanh / relu halves), compared with the user's own unedited builder: refactors,
named variants and single mistakes),
``heldout45`` 1-D residual networks over text and physiological signals as their repositories write them (tsai's ResNet
baseline of Wang et al. with kernels 7 / 5 / 3, Ribeiro et al.'s 12-lead ECG ResNet with max-pooled skips and dropout
in every unit, hsd1503's Hannun-style pre-activation ResNet1D with zero-padded identities, VDCNN-9 with k-max
pooling), compared with the user's own unedited builder: refactors, named variants and single mistakes),
``heldout46`` ResNets as explainability and interpretability code wraps and edits them (Grad-CAM wrappers keeping
activations and gradients with tensor and module hooks, a CAM conv head, pytorch-grad-cam's guided-backprop ReLU
Function, beta-smoothing Softplus, one ReLU per use for DeepLift, RISE's softmax Sequential, one-logit and dict-reading
Captum wrappers, zennit's stack + Sum add and merged BatchNorms, feature-visualisation truncation, netdissect's unit
ablation, a saliency wrapper normalising inside forward), compared with torchvision's ResNet-18 / 50 or the user's own
unedited builder: refactors, named variants and single mistakes),
``heldout47`` ResNet backbones as human-pose-estimation and keypoint-detection repositories write them (SimpleBaselines'
PoseResNet with its deconvolution head and mmpose's backbone / HeatmapHead split, Bottleneck_CAFFE, princeton-vl's and
bearpaw's stacked hourglass of pre-activation residual units, DeepLabCut's timm-style ResNet-50 with heatmap and locref
deconvolutions at output stride 16 and with its strides edited after construction, OpenPifPaf's Resnet base network
with CompositeField3 heads and block5_dilation), compared with the user's own unedited builder: refactors, named
variants and single mistakes) and
``heldout48`` residual networks as super-resolution and image-restoration repositories write them (EDSR with MeanShift
convs and res_scale, RCAN's residual groups with channel attention, DnCNN's residual learning, PyTorch-GAN's SRGAN
generator, BasicSR's RRDBNet and MSRResNet, CARN-M's shared cascading block), compared with the user's own unedited
builder: refactors, named variants and single mistakes) and
``heldout49`` ResNet image encoders as image-captioning, VQA / multimodal and fine-grained-classification repositories
write them (the show-attend-tell Encoder with its 14 x 14 adaptive pool and channels-last permute, a bottom-up C4 region
encoder with RoIAlign and layer4 as the box head, a bilinear CNN with signed square root and L2 normalisation, WS-DAN's
bilinear attention pooling, a CLIP-like classifier fusing a ResNet-18 with a bag-of-words text tower), compared with the
``heldout50`` ResNets as scientific-computing repositories write them (a Galaxy Zoo ResNet with Dieleman's output
constraints averaging over rot90 views in forward, the CMS / ML4SCI end-to-end jet-image ResNet-15 with log1p inside
forward and its ResBlock_BN variant, a seismic-event classifier on SeisBench's EQTransformer ResCNN stack, AtomNet's
residual STEM-image segmentation network, Harder et al.'s constrained climate-downscaling ResNet), compared with the
user's own unedited builder: refactors, named variants and single mistakes) and
``heldout51`` dynamic-width, dynamic-depth and early-exit ResNets as their research code writes them (an SDN ResNet with
internal classifiers, Distiller's early exit attached by a BranchPoint and its conv gates, a BranchyNet-style ResNet
returning the first confident exit, SkipNet's gated ResNet, BlockDrop's FlatResNet under a fixed policy, a slimmable
ResNet with switchable BatchNorms, an elastic-kernel ResNet with once-for-all's kernel transform), compared with the
user's own unedited builder: refactors, named variants and single mistakes) and
``heldout52`` ResNets with parameter-efficient fine-tuning and conditioning as public repositories write them (Rebuffi
et al.'s parallel residual adapters in a ResNet-26, LoRA on a ResNet-18's 3x3 convs, BitFit, FiLM after an affine-free
BatchNorm driven by a task code held as a buffer, BigGAN's class-conditional BatchNorm, a learned padding prompt
before a frozen ResNet-18), compared with the user's own unedited builder: refactors, named variants and single
mistakes) and
``heldout53`` ResNet visual encoders as robot-learning and imitation-learning repositories write them (diffusion_policy /
LeRobot's GroupNorm ResNet-18 with a spatial-softmax keypoint head, robomimic's ResNet18Conv + SpatialSoftmax VisualCore,
a two-camera policy with one trunk shared over the views, an R3M-style encoder normalising inside forward, a DrQ-v2-style
residual pixel encoder and actor trunk), compared with the user's own unedited builder: refactors, named variants and
single mistakes) and
``heldout55`` residual networks for time-series forecasting as their repositories write them (ElementAI's generic N-BEATS
with its doubly residual stacking, Darts' causal TCN with a shared MonteCarloDropout, GluonTS' gated WaveNet with skip
sums and trimmed residuals), compared with the user's own unedited builder: refactors, named variants and single
mistakes) and
``heldout56`` continuous-depth and ODE-inspired residual networks as public repositories write them, every ODE solved by
a fixed-step loop written by hand (torchdiffeq's ODE-Net for MNIST with ConcatConv2d and Euler steps, a CIFAR ODE-ResNet
of RK4 blocks, ANODE's ConvODENet with zero channels concatenated, a Hamiltonian leapfrog network with K^T by
conv_transpose2d, a stable ResNet of spectral-normalised Euler steps x + h f(x)), compared with the user's own unedited
builder: refactors, named variants and single mistakes) and
``heldout54`` residual networks inside normalizing flows and invertible models as public repositories write them (a
chrischute/real-nvp-style RealNVP whose coupling st_nets are weight-normed ResNets, a Glow with LU 1x1 convs and affine
couplings on nflows' ConvResidualNet, an i-RevNet classifier of additive couplings and psi downsampling), forward
direction only, compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout57`` spiking residual networks with the neurons written by hand (a SEW-ResNet-18 of multi-step IF neurons
with ADD / IAND connect functions, a tdBN / TET spiking ResNet-19 of LIFSpike neurons, an MS-ResNet with membrane
shortcuts on event frames; membrane potentials integrated over T in loops inside forward, Heaviside spikes through
surrogate-gradient autograd Functions, the input repeated and the output averaged over T), compared with the user's
own unedited builder: refactors, named variants and single mistakes) and
``heldout58`` binary and low-bit ResNets as their research repositories write them, the first and last layers real-valued
(a Bi-Real Net-18 with a shortcut around every binary conv, ApproxSign and a Conv2d subclass binarizing its weight; a
ReActNet-A with RSign / RPReLU shifts; an XNOR-Net CIFAR ResNet-20 with a BinActive autograd.Function and per-channel
alpha), compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout59`` residual networks over point clouds and graphs as public repositories write them, every k-NN graph
computed inside forward by hand (a small PointNeXt of SetAbstraction and InvResMLP blocks, a residual DGCNN in
WangYueFt/dgcnn's spelling, deep_gcns_torch's dense ResGCN with dilated k-NN EdgeConvs, GraphCMR's GraphCNN on a
row-normalised dense adjacency buffer), compared with the user's own unedited builder: refactors, named variants and
single mistakes) and
``heldout60`` residual networks inside learned image compression as CompressAI-style repositories write them, every
module by hand (a Cheng2020-attn codec of ResidualBlockWithStride / ResidualBlock / ResidualBlockUpsample blocks with
sub-pixel convs, hand-written GDN and the attention block on a mean-scale hyperprior with straight-through rounding,
returning CompressAI's dict; a scale hyperprior on Cheng's anchor transforms with abs before h_a and the port's
BitEstimator, returning a tuple), compared with the user's own unedited builder: refactors, named variants and single
mistakes) and
``heldout61`` neural operators and PDE surrogates with residual structure as public repositories write them, every
module by hand (a 2-D Fourier Neural Operator with rfft2, complex weights on the kept modes by einsum and a 1x1 conv
beside each spectral conv, a Linear lifting and projection; a 1-D FNO spelled out as fourier_1d and PDEBench write it;
PDEArena's dilated ResNet with the time history stacked as channels), compared with the user's own unedited builder:
refactors, named variants and single mistakes) and
``heldout62`` ResNets with dynamic convolutions and hypernetworks as public repositories write them, every
input-dependent or generated kernel reshaped and passed to F.conv2d in forward (a CIFAR ResNet of timm-style CondConv
layers with the batch folded into groups, a ResNet-18 of kaijieshi7's Dynamic_conv2d, OSVAI's OD-ResNet-18, the
primary network of g1910/HyperNetworks with per-conv z embeddings), compared with the user's own unedited builder:
refactors, named variants and single mistakes) and
``heldout63`` weight-tied, recurrent and equilibrium-style residual networks as public repositories write them, every
iteration count small and fixed (the implicit-layers tutorial's DEQ with fixed-point iterations under torch.no_grad()
and one final application, R2U-Net's recurrent residual conv units, Liao & Poggio's shared-weight RecNet with
time-specific BatchNorms, a ReZero CIFAR ResNet, a SkipInit ResNet, DeepThinking's looped DTNet with recall), compared
with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout64`` rotation- and reflection-equivariant residual networks written by hand without e2cnn (a P4 CIFAR ResNet
of groupcnn-style lifting and P4 convs on (N, C, 4, H, W) maps with BatchNorm3d shared over the rotations and group
max pooling, a P4M ResNet with the group folded into the channels group-major, a ResNet of steerable filters from a
fixed circular-harmonic basis, a P4 WRN-10-2 with e2wrn's group-pooled head), compared with the user's own unedited
builder: refactors, named variants and single mistakes) and
``heldout65`` ResNets whose 3x3 conv or downsampling is another operator as public repositories write them (an Octave
ResNet-26 of high and low maps, a RedNet-26 of involutions, a LambdaResNet of lambda layers, a WaveCNet ResNet-18 with
the Haar DWT as a fixed depthwise filter, antialiased-cnns' blur-pooled ResNet-18, a CIFAR FcaNet with fixed DCT bases
as the squeeze), compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout66`` ResNets as domain-adaptation and domain-generalization repositories write them (wgchang/DSBN's
domain-specific BatchNorms chosen by an index passed down forward, AugMax's main / auxiliary DualBatchNorm2d, TLlib's
ImageClassifier bottleneck with DANN and CDAN heads behind a gradient-reversal autograd Function, SHOT's bottleneck and
weight-normalised head, MixStyle between stages, AdaBN by batch statistics), compared with the user's own unedited
builder: refactors, named variants and single mistakes) and
``heldout67`` residual networks in style transfer and image-to-image translation as public repositories write them
(pytorch/examples' fast-neural-style TransformerNet, its multi-style form with conditional instance norm, naoto0804's
AdaIN style transfer, MUNIT's AdaIN generator, StarGAN's generator, a residual WGAN critic), compared with the user's
own unedited builder: refactors, named variants and single mistakes) and
``heldout69`` mixture-of-experts and sparsely gated residual networks as public repositories write them, every routing
deterministic for a given input (a CIFAR ResNet of expert convs under Shazeer's noisy top-2 gate with the load-balancing
loss computed in forward, tutel's einsum and fastmoe's index_select dispatch; Switch-style top-1 routing per sample;
a DeepMoE ResNet gating channel experts from a shallow embedding; three classifier heads mixed by a router), compared
with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout68`` hybrid CNN-transformer networks built on ResNet stages as public repositories write them (the R50+ViT
hybrid of weight-standardised GroupNorm ResNetV2 stages feeding patch embeddings, a class token and a one-layer
encoder; leaderj1001's BoTNet with MHSA in the last stage; chinhsuanwu's CoAtNet of MBConv and relative-attention
stages; a DETR on a FrozenBatchNorm2d ResNet-18 with the sine position encoding and a one-layer encoder and decoder),
compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout71`` audio and speech ResNets as public repositories write them, fed features or the raw waveform
(voxceleb_trainer's thin ResNetSE34V2 with SE blocks and attentive statistics pooling, wespeaker's ResNet with temporal
statistics pooling, PANNs' ResNet22 for sound-event tagging, a raw-waveform Res1dNet behind a pre-emphasis buffer),
compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout72`` residual blocks of diffusion U-Nets and score models as public repositories write them, each timestep a
fixed buffer (guided-diffusion's ADM UNet with scale-shift norm, up / down ResBlocks and zero_module convs; score_sde's
NCSN++ with BigGAN blocks, skip rescaling and NIN attention; lucidrains' denoising-diffusion Unet with FiLM blocks and
linear attention), compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout70`` 1-Lipschitz and orthogonal residual networks as public repositories write them, without BatchNorm and
every power iteration's vectors a buffer (jhjacobsen's i-ResNet classifier of softly spectrally normalised convs by
forward pre-hooks, a ResNet9 of skew orthogonal convolutions with GroupSort, sum pooling and learned convex
combinations, a Parseval WRN joining 0.5 * shortcut + 0.5 * f(x), a CIFAR ResNet of parametrizations.spectral_norm
convs with its branch scaled by 0.9, an SLL network of SDP-based Lipschitz layers), compared with the user's own
unedited builder: refactors, named variants and single mistakes) and
``heldout73`` residual networks of reinforcement-learning agents as public repositories write them, each returning its
policy logits (and value) (cleanrl's IMPALA CNN, Leela Chess Zero's SE-ResNet tower, muzero-general's residual
representation and prediction networks with the min-max scaled hidden state, DreamerV3's ImageEncoderResnet with its
channel LayerNorm), compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout74`` residual blocks of GAN discriminators as public repositories write them, every spectral norm's vectors
buffers and every projection class fixed inside the module (SNGAN's ResNet projection discriminator, BigGAN's
discriminator with its self-attention block, the WGAN-GP ResNet critic with LayerNorm, a U-Net discriminator decoding
with BigGAN's BatchNorm generator blocks), compared with the user's own unedited builder: refactors, named variants and
single mistakes) and
``heldout75`` video and volumetric (3-D) ResNets as public repositories write them (a torchvision-style R(2+1)D, Kensho
Hara's 3D-ResNets with shortcut 'A' and no_max_pool, MedicalNet's dilated ResNet for single-channel volumes, an I3D
ResNet-50 inflated from 2-D with FrozenBN, SlowFast's Slow-only pathway with its eval-mode softmax head), compared with
the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout76`` ResNet backbones as self-supervised and contrastive-learning repositories write them (SimCLR's CIFAR
encoder surgery and projector, MoCo v2's query and key encoders with the brute-force MLP head, SimSiam's projector and
predictor, Barlow Twins' projector with its affine-free BN, SwAV's ResNet with its pad layer, L2 normalisation and
prototypes, DINO's MultiCropWrapper and weight-normalised DINOHead), compared with the user's own unedited builder:
refactors, named variants and single mistakes) and
``heldout77`` high-resolution multi-branch residual networks as public repositories write them (a tiny HRNet classifier
with HighResolutionModules, fuse and transition layers and cls_hrnet's incre / downsamp / final_layer head, a tiny
Lite-HRNet of ShuffleUnits and conditional channel weighting blocks, a tiny DLA of Trees and Roots), compared with the
user's own unedited builder: refactors, named variants and single mistakes) and
``heldout78`` ResNets from model-compression and pruning repositories as they write them (network slimming's
channel_selection layers and cfg, an l1-norm filter-pruned ResNet-20 with per-block widths and option-A shortcuts,
torch.nn.utils.prune's weight_orig * weight_mask hooks, soft filter pruning's zeroed filters and an activation mask,
Pufferfish-style low-rank and spatially factorised convs, a RepDistiller WRN student of half the teacher's width),
compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout79`` ResNets from few-shot, meta-learning and continual-learning repositories as they write them
(MetaOptNet's ResNet-12 embedding with dropout and DropBlock, a MAML Learner-style ResNet walking a config over one
ParameterList with F.conv2d / F.batch_norm, Meta-Baseline's cosine NNClassifier with a learned temperature, GEM's
reduced ResNet-18 with per-task heads), compared with the user's own unedited builder: refactors, named variants and
single mistakes) and
``heldout80`` ResNets from neural-ODE and uncertainty-estimation repositories as they write them (a three-stage
ODE-ResNet on torchdiffeq's ConcatConv2d ODEfunc with RK4 steps unrolled in a Python loop, ANODE's Conv2dTime
ConvODEFuncs on zero-augmented states, an SNGP-style spectral-normalised WRN with a bounded residual scaling, an
MC-dropout ResNet with F.dropout(training=True), gpleiss' ModelWithTemperature and an evidential softplus + 1 head),
compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout81`` ResNet feature encoders from optical-flow, stereo-matching and visual-tracking repositories as they write
them (a RAFT-style BasicEncoder with its norm chosen by a string and the two frames run as one batch, PSMNet's
feature_extraction with dilated blocks and spatial-pyramid pooling, a Siamese tracker's ResNet-50 cut after a dilated
layer3 with an adjust neck, a centre-cropped template and a depthwise correlation), compared with the user's own
unedited builder: refactors, named variants and single mistakes) and
``heldout82`` speaker-verification residual networks as speaker and speech repositories write them (a thin
ResNet-34 over a log-mel map with its frequency folded into the channels, temporal statistics pooling and an AM-softmax
head; the same with attentive statistics pooling; an ECAPA-TDNN of SE-Res2Net 1-D blocks with multi-layer feature
aggregation, attentive statistics pooling with global context and an AAM-softmax head), compared with the user's own
unedited builder: refactors, named variants and single mistakes) and
``heldout83`` residual networks for time series and tabular data as public repositories write them (the ResNet
baseline of Wang et al. with kernels 8 / 5 / 3 and the even kernel padded 'same' by hand, InceptionTime on a
channels-last input with a ResidualLayer every three modules, rtdl's tabular ResNet on PLR periodic numerical
embeddings), compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout84`` Bayesian and probabilistic ResNets as public repositories write them (a Bayes-by-backprop CIFAR
ResNet with mean and rho layers that use the mean in eval, a torchvision-style ResNet converted to bayesian-torch's
Flipout layers, a rank-1 Bayesian Wide ResNet with two members, a ResNet with a last-layer Laplace head and the
probit approximation), compared with the user's own unedited builder: refactors, named variants and single mistakes)
and
``heldout85`` gait-recognition and LiDAR bird's-eye-view residual backbones as public repositories write them
(OpenGait's GaitBase: a ResNet-9 run frame by frame on a silhouette sequence, set pooling over the frames, horizontal
pyramid pooling, separate per-part FCs and BNNecks; the PointPillars / SECOND BEV backbone of OpenPCDet with its
anchor head; a CenterPoint-style residual BEV backbone under OpenPCDet's CenterHead), compared with the user's own
unedited builder: refactors, named variants and single mistakes) and
``heldout86`` 2-D residual networks in scientific code as public repositories write them (trRosetta's dilated
residual network on protein pair features with InstanceNorm and ELU and dilations cycling 1, 2, 4, 8, 16, a weather
ResNet on gridded fields with periodic longitude padding, PDEArena's pre-activation ResNet on a periodic field),
compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout87`` face anti-spoofing and image-forensics ResNets as public repositories write them (a ResNet of
CDCN's central difference convolutions, a DFDC-style classifier with a fixed SRM stem in front of a ResNet encoder,
a two-stream RGB + Bayar-noise ResNet fused by concatenation, F3Net's DCT band branch in front of a ResNet),
compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout88`` ResNet backbones as crowd-counting and density-estimation repositories write them (C^3 Framework's
ResNet-50 cut after layer3 with layer3 at stride 1, CSRNet's dilated back-end and a density map upsampled to the input
size; DM-Count's regression head with its normalised map on a ResNet; a multi-scale head of dilated branches on
FamNet's two maps), compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout89`` ResNets as fine-grained recognition repositories write their heads and backbones (a bilinear CNN
with the signed square root and L2 normalisation, compact bilinear pooling by count sketches and FFTs, fast-MPN-COV's
iSQRT-COV covariance pooling with layer4 at stride 1, WS-DAN's attention maps and bilinear attention pooling), compared
with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout90`` ResNets as image-retrieval and landmark-recognition repositories write them (dirtorch's ResNet_RMAC
with a learned-p GeM, a whitening Linear and L2 normalisation; DELG's pycls ResNet with a GeM global head and a
softplus attention head on s3's detached map; a Kaggle landmark winner's GeM, Linear-BN-PReLU neck and cosine
head; cirtorch's R-MAC ImageRetrievalNet with whitening and a D x N output), compared with the user's own unedited
builder: refactors, named variants and single mistakes) and
``heldout91`` ResNets as computational-pathology and whole-slide-image repositories write them (CLAM's gated
attention MIL on a ResNet-50 tile encoder truncated after layer3 over a bag of tiles cut from a region, AttentionDeepMIL's
gated attention end to end on a ResNet-18 tile encoder, a fixed Macenko stain normalisation as a tile classifier's first
layer, a GrayLayer in front of a one-channel stem), compared with the user's own unedited builder: refactors, named
variants and single mistakes) and
``heldout92`` ResNets as long-tailed-recognition and test-time-adaptation repositories write them (LDAM-DRW's CIFAR
ResNet-32 with option-A shortcuts and NormedLinear's cosine classifier, classifier-balancing's decoupled ResNet-10
feature model and tau-normalised classifier, RobustBench's WideResNet as the source model whose BatchNorms Tent and
norm.py adapt), compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout93`` ResNet backbones as anchor-free detection repositories write them (CenterNet's msra_resnet with
its three ConvTranspose2d upsampling stages and hm / reg / wh heads, FCOS with an FPN and a shared GroupNorm head with
a Scale per level, TTFNet's bilinear upsampling with ShortcutConv2d skips, Simple Baselines' keypoint heatmaps on
layer4), compared with the user's own unedited builder: refactors, named variants and single mistakes) and
``heldout94`` two-stream and multimodal ResNets as public repositories write them (a two-stream RGB + optical-flow
network with the class scores averaged, RedNet's RGB-D encoder with the depth maps added in after every stage, OGM-GE's
audio-visual classifier with an audio ResNet on a spectrogram and a visual ResNet on frames folded into the batch, a
siamese trunk shared by two images and fused after layer2 by a 1x1 conv), compared with the user's own unedited
builder: refactors, named variants and single mistakes) and
``heldout95`` ResNets written with PyTorch's functional and parametrization tooling (a few-shot ResNet-12 run on dicts
of fast weights by torch.func.functional_call and MAML layers, a deep ensemble stacked by stack_module_state and run by
vmap, a CIFAR ResNet under parametrizations.weight_norm, a CIFAR ResNet with symmetric kernels by
register_parametrization wrapped by torch.compile or torch.jit.script), compared with the user's own unedited builder:
refactors, named variants and single mistakes) and
``heldout96`` ResNets prepared for quantization, mixed precision and deployment (a CIFAR ResNet written as
torchvision.models.quantization writes it with stubs, FloatFunctional.add_relu and fuse_model, a bottleneck ResNet
prepared by prepare_qat with fake quantization off and on, a quantizable pre-activation ResNet, a ResNet under CUDA
autocast with channels_last and written for fp16 inference), compared with the user's own unedited builder: refactors,
named variants and single mistakes in fusion groups, merges and QAT settings);
``heldout97`` ResNets as Kaggle competition solutions write them (a hand-written ResNet with GeM pooling of a learned
exponent and a multi-sample dropout head, a torchvision-style ResNet cut from its children with concatenated max +
average pooling, a BNNeck and an ArcFace head, the same ResNet with its RGB stem rebuilt for grayscale by summing the
pretrained kernel, a hand-written ResNet with a stage-wise drop path and an attention pool), compared with the user's
own unedited builder: refactors, named variants and single mistakes);
``heldout98`` stochastic regularization and training tricks written inside residual networks (a Shake-Shake ResNet
with a custom autograd Function mixing two residual paths by a random alpha forward and a random beta backward, a
CIFAR ResNet with ShakeDrop, a CIFAR ResNet with an auxiliary classifier used only in training and a learned
temperature in the head, a FixMatch-style wide ResNet with a Gaussian noise layer active only in training), compared
with the user's own unedited builder: refactors, named variants and single mistakes, most of them visible in training
mode only);
``heldout99`` residual networks whose gradients are shaped by the model's own code (a DANN ResNet behind a
gradient-reversal autograd Function, SimSiam with its stop-gradient on a small ResNet, muzero-general's residual
networks unrolled in forward with the gradient into the dynamics halved by a tensor hook, a CIFAR ResNet whose stem and
stages run under torch.utils.checkpoint), compared with the user's own unedited builder: refactors, named variants and
single mistakes seen in the backward pass alone);
``heldout100`` in-place operations and aliasing inside residual networks (akamaster's option A CIFAR ResNet with its
shortcut written into a zero buffer and its adds written in place, PyramidNet's zero-padded shortcut added into a slice
of the output, FasterNet's partial convolution by slice assignment with and without its clone, BigGAN's residual
discriminator with in-place ReLUs, RepDistiller's pre-activation features aliased by an in-place ReLU), compared with
the user's own unedited builder: refactors, named variants and single mistakes that rewrite a tensor still in use);
``heldout101`` stateful forwards and first-call initialisation in residual networks (a CIFAR ResNet on Glow's ActNorm
set from the first batch, d2l's ResNet with every layer lazy, a CIFAR ResNet on a BatchNorm written from scratch with
its moving averages updated in forward, a Rainbow Q-network of IMPALA residual stacks under NoisyLinear layers whose
noise is drawn once into buffers), compared with the user's own unedited builder: refactors, named variants and single
mistakes in the state a forward writes or a later call reads) and
``heldout102`` eval-mode and inference-time behaviour written inside residual networks (an mmdetection-style
norm_eval train(mode) override keeping the BatchNorms in eval mode while training, flip test-time augmentation inside
forward when not training, a Monte-Carlo dropout head kept on and averaged at inference, DeiT's class and distillation
heads returned in training and averaged at inference), compared with the user's own unedited builder: refactors, named
variants and single mistakes, each seen in one mode only);
``heldout103`` residual networks whose forward depends on the input's size or batch (a narrow ResNet keeping its max
pool for inputs wider than 32 px and pooling globally by F.avg_pool2d(x, kernel_size=x.size()[2:]), a narrow ResNet-D
with ceil-mode average-pool shortcuts at an input size with odd maps, a residual segmentation network padding its
input to a multiple of 32 and cropping back, a CIFAR ResNet whose BatchNorm1d head falls back to running statistics
for a batch of one), compared with the user's own unedited builder: refactors, named variants and single mistakes,
several of them seen at some input sizes or batch sizes only);
``heldout104`` weights tied, shared or re-used inside residual networks (DRRN's recursive block of residual units
running one shared pair of convs, a TridentNet-style stage running three dilated branches through one kernel and one
BatchNorm, a Siamese ResNet tower shared by two views, a residual autoencoder whose decoder transposes the encoder's
kernels), compared with the user's own unedited builder: refactors, named variants and single mistakes, several of
them the same forward values with other trainable parameters or gradients);
``heldout105`` what a residual network's forward returns (mdistiller's CIFAR resnet8 returning its logits beside a
dict of stage features, pre-ReLU sums and the pooled vector, a SupContrast-style ResNet returning logits beside an
L2-normalised projection, an IRN / ReCAM Net_CAM returning logits, class activation maps and the last map, a
ResNet-18 with an auxiliary head returned in training only, a multi-head ResNet returning the mean and std of its
stacked heads), compared with the user's own unedited builder: refactors, named variants and single mistakes, most
of them in a returned tensor beside unchanged logits);
``heldout106`` numerical details written inside residual networks (a CIFAR ResNet normalising its own input with
mean / std buffers and BatchNorm eps settings, the same ResNet on a GroupNorm written by hand with x.var's unbiased
default, a narrow ResNet under a CLIP-style cosine head with a learned log logit scale, a CIFAR ResNet returning
temperature-scaled log-probabilities), compared with the user's own unedited builder: refactors, named variants and
single mistakes that change values, not shapes);
``heldout107`` behaviour attached to residual networks outside their forward (a CIFAR ResNet with forward hooks
registered after it is built, the same ResNet normalising its input in a forward pre-hook, a narrow ResNet whose
forwards are replaced by types.MethodType, functools.partial or an assignment on a block class, a narrow bottleneck
ResNet whose modules are swapped after init by setattr and model.apply), compared with the user's own unedited
builder: refactors, named variants and single mistakes, several of them the same forward with other gradients);
``heldout108`` control flow written inside a residual network's forward (a flat list of convs zipped with its norms
and a shortcut every second conv decided by the loop index, a tower of twelve identical blocks in an nn.ModuleList
looped over, a CIFAR ResNet whose stages are made with setattr and run by getattr(self, f"layer{i}")), compared with
the user's own unedited builder: refactors, named variants and single mistakes (blocks run out of order, twice or
never, a shortcut dropped by a parity test, an index counted from 1));
``heldout109`` dtypes, casts and input conventions written inside residual networks (a Keras-ported ResNet converting
channels-last 0-255 frames with permute and / 255 in forward, a grayscale ResNet repeating its channel to three before
ImageNet normalisation buffers, a CIFAR ResNet written for mixed precision with float64 buffers, type_as casts and
autocast regions), compared with the user's own unedited builder: refactors, named variants and single mistakes, one
of them a bfloat16 stage that differs in float32 only);
``heldout110`` ResNets built by subclassing or configuring torchvision's ResNet class (ResNet(BasicBlock, [1, 1, 1, 1])
built directly or by a one-line subclass with its fc replaced, a grayscale subclass replacing conv1 and overriding
_forward_impl, a narrow subclass re-writing ResNet's __init__ with self.inplanes = 16 configured by partial and lambda
norm_layers, the same subclass on Bottlenecks with groups / width_per_group, replace_stride_with_dilation, an
overridden _make_layer and an SE block subclass), compared with the user's own unedited builder: refactors, named
variants and single mistakes, two of them BatchNorm settings that change only the running statistics or eval);
``heldout111`` padding, borders and pooling modes written inside residual networks (a restoration network of
reflection-padded dilated residual blocks, a CIFAR ResNet padded by nn.ZeroPad2d modules and one-sided F.pad before its
stride-2 convs, a narrow ResNet on odd map sizes with other stem pools, ceil-mode average-pool shortcuts and a dilated
last stage, a small PoolFormer whose token mixer is a padded average pool), compared with the user's own unedited
builder: refactors, named variants and single mistakes, most of them the same map sizes with other borders);
``heldout112`` variable-name slips and copy-paste mistakes inside residual blocks' forwards (a CIFAR ResNet of
torchvision-style BasicBlocks copied by hand, a VQ-VAE residual stack behind a strided encoder, a ResNet ported by hand
from Keras' identity_block / convolutional_block, a CIFAR pre-activation ResNet), compared with the user's own unedited
builder: refactors, named variants and single mistakes, every mistake with the same modules and parameters as the
builder (a result not assigned, a module used twice, the skip read from the wrong tensor or rewritten in place));
``heldout113`` residual networks composed from generic wrappers (a ConvMixer as one nn.Sequential of lucidrains-style
Residual(fn) modules, a DAWNBench ResNet-9 of conv_bn factories with a Residual subclass of nn.Sequential, a Lambda
flatten and an nn.Identity placeholder, an akamaster-style CIFAR ResNet whose option-A shortcut is a LambdaLayer, a
small CIFAR ResNet as one nn.Sequential of Residual(block(c)), PreNorm, Rezero and SequentialWithSkips), compared with
the user's own unedited builder: refactors, named variants and single mistakes, several of them a wrapper around the
wrong span);
``heldout114`` widths and depths computed from multipliers and rounding rules in residual networks (a CIFAR ResNet of
width_mult 1.25 rounded by MobileNet's make_divisible(v, 8), a small CIFAR ResNet compound-scaled EfficientNet-style by
round() widths and math.ceil depths, a WRN-16-2 from nChannels = [16, 16 * k, 32 * k, 64 * k], a CIFAR bottleneck
ResNet on torchvision's int(planes * (base_width / 64.)) * groups), compared with the user's own unedited builder:
refactors, named variants and single mistakes, several of them one stage's width or depth changed by a rounding rule);
``heldout115`` mixed and composite normalisation inside residual networks (a CIFAR-size IBN-Net-a ResNet whose IBN
splits the channels between an InstanceNorm and a BatchNorm, an IBN-Net-b ResNet with InstanceNorms in the stem and
after early adds, a ResNet on Batch-Instance Normalization's gated mix, a ResNet with BatchNorm in early stages and
GroupNorm in the last), compared with the user's own unedited builder: refactors, named variants and single
mistakes, several of them differing only in eval or only at a batch of more than one);
``heldout116`` what residual networks add to their input or stem inside forward (a CIFAR ResNet with a CoordConv stem,
a narrow ResNet on a pixel_unshuffle space-to-depth stem, a CIFAR ResNet with a learned input affine and a learned
positional embedding added to its stem, a narrow ResNet fed two frozen Sobel channels), compared with the user's own
unedited builder: refactors, named variants and single mistakes (coordinates in another range or order, another
space-to-depth channel order, an addition moved across the stem's ReLU, a fixed filter left trainable);
``heldout117`` wrappers that decide which weights a residual network runs with (timm's ModelEmaV2 shadow of a
CIFAR-adapted ResNet, torch.optim.swa_utils.AveragedModel around a narrow ResNet, mdistiller's Distiller holding a
student and a teacher, a torch.func.functional_call wrapper over a stateless copy), compared with the user's own
unedited builder: refactors, named variants and single mistakes (a copy made before the network was edited, the
teacher run for the student, a copy run in eval that training never reaches, BN statistics or gradients that never
reach the wrapper's own tensors);
``heldout118`` identity shortcuts that do something in residual networks (CIFAR ResNets whose residual sums are
divided by sqrt(2), whose blocks are highway-style gated mixes, whose identity shortcuts are a BatchNorm, whose skips
carry a learned scalar), compared with the user's own unedited builder: refactors, named variants and single mistakes
(the scale on the skip alone, a concatenation for the add, the gate's roles exchanged, the add before the last BN, a
detached or average-pooled identity);
``heldout119`` modules whose shape or existence is decided at the first call or by probing (a CIFAR ResNet of lazy
layers, a flattened head sized by a dummy forward in __init__, Keras-style build(input_shape) layers with a classifier
made on the first call, a timm-style classifier sized by a backbone's num_features), compared with the user's own
unedited builder: refactors, named variants and single mistakes (a width or a Flatten the lazy layers absorb, a probe
at another size, a head made on every call or kept in a plain dict, another global pool);
``heldout120`` builders that set, load or transform their own weights (a CIFAR ResNet whose builder folds its BNs
into the convs by hand, one whose builder initialises its weights and freezes BNs, a gray CIFAR ResNet whose stem
kernel is the RGB one summed over its channels, a ResNet-20 of deep-copied prototype blocks), compared with the user's
own unedited builder: refactors, named variants and single mistakes (a fold that drops the BN's shift or leaves its
biases without gradient, BN affines frozen or statistics held by momentum 0, a stem conv without its padding, blocks
shared by list multiplication or by assigned weights);
``heldout121`` ops written from primitives and custom autograd Functions inside residual networks (convolutions by
F.unfold and a matmul, by Tensor.unfold and einsum, by torch.fft; BatchNorm, ReLU and max pooling as formulas;
memory-efficient Swish and Mish as autograd Functions with hand-written backwards, a hand-written dropout; a
gradient-reversal layer), compared with the user's own unedited builder: refactors, named variants and single
mistakes (a kernel flattened in another order, a circular FFT convolution, an unbiased batch variance, batch
statistics in eval, and two whose forward is the builder's exactly and whose backward is not: a Swish Function that
saves its output, a gradient reversal left in);
``heldout122`` ResNets ported to PyTorch from other frameworks than Keras with those frameworks' layer defaults and
layouts (a Flax CIFAR ResNet with 'SAME' padding by F.pad and BN momentum converted, gluoncv's CIFAR ResNet V2 with
its affine-free data BN, a TensorFlow official-models bottleneck ResNet with fixed_padding and BN decay 0.997, a Caffe
prototxt port with BatchNorm + Scale pairs, the stride on the 1x1 and a ceil-mode pool), compared with the user's own
unedited builder: refactors, named variants and single mistakes (a momentum left unconverted, an NHWC permute
forgotten, a data BN's affine part back on, a pre-activation shortcut read from the raw input, a pool without
ceil_mode, Scale layers without their shift);
``heldout123`` model surgery done after construction (a small ResNet-18 of torchvision's BasicBlocks with its stem
replaced by assignment, a block's stride attribute set, CSAIL's _nostride_dilate over layer4; a hand-written CIFAR
ResNet whose BatchNorms are swapped for GroupNorm or FrozenBatchNorm2d or edited in loops; a headless extractor cut by
children()[:-2] or rewritten by torch.fx), compared with the user's own unedited builder: refactors, named variants
and single mistakes (a conv's kernel_size attribute changed with its weight left 7x7, a misspelt stride assignment,
momentum None, track_running_stats off with the buffers kept, setattr with dotted names, a functional ReLU lost by the
cut; and two that do nothing: a loop rebinding its variable, an fx graph edited without recompile);
``heldout124`` ResNets assembled from library building blocks instead of plain nn layers (torchvision.ops'
Conv2dNormActivation, FrozenBatchNorm2d, SqueezeExcitation and StochasticDepth; timm.layers' create_conv2d,
BatchNormAct2d, create_act_layer, ClassifierHead, create_attn, create_aa with BlurPool2d, StdConv2d and DropPath),
compared with the user's own unedited builder: refactors, named variants and single mistakes (a helper's default
that differs from the plain layer meant: Conv2dNormActivation's bias without a norm, BatchNormAct2d's act on bn2,
create_attn's SE ratio, a hard-sigmoid SE scale, StochasticDepth's 'batch' mode, a drop on the block's sum);
``heldout125`` channel-pruned and slimmed ResNets whose widths come from a pruning result (an HRank-style CIFAR
ResNet-20 with per-conv compress rates and option-A pad shortcuts, a ThiNet cfg bottleneck ResNet, a filter-pruned
ResNet-10 writing its kept channels into the shortcut's width, a CIFAR ResNet-14 kept under torch.nn.utils.prune filter
masks), compared with the user's own unedited builder: refactors, named variants and single mistakes (zero channels
padded on one side, one block's width from the wrong cfg entry, kept positions read one-based, the shortcut added
before the scatter, a mask after BN instead of before, shortcut convs left unmasked);
``heldout126`` ResNet backbones as self-supervised and contrastive-learning repositories write them (SimSiam on a
CIFAR encoder made by stem surgery, BYOL with a deep-copied frozen momentum target, MoCo v2 on one process with
shuffling BN and a queue, a cosine classifier with a return_features flag), compared with the user's own unedited
builder: refactors (convert_sync_batchnorm in one process, an AveragedModel target, the shuffle left out), named
variants and single mistakes (a stem left at stride 2, a projector BN left out, a predictor's hidden width, a target
left trainable, a ReLU after the last projector layer, a normalize over the batch dimension);
``heldout127`` indexing, gathering and scattering inside residual networks (a network of ShuffleNet v1 units with
its channel shuffle, a shift ResNet rolling four channel groups, a small TResNet with its space-to-depth stem, the
CIFAR ResNet with the option-A shortcut), compared with the user's own unedited builder: refactors (index_select on a
permutation buffer, rolls as narrow slices and as one gather, SPD-Conv's strided cat, a reranged pixel_unshuffle,
masked_scatter into zeros), named variants and single edits that keep every shape and parameter count and change
only which elements are picked or where they go (a shuffle's groups and channels per group swapped, a concatenation
in the other order, a roll in the wrong direction, a zero-filled shift, a plain pixel_unshuffle, the odd pixels
kept);
``heldout128`` ResNets rewritten to be friendly to torch.compile, torch.export, TorchScript and torch.func (a CIFAR
ResNet with Final constants, an Optional shortcut and a ModuleList under torch.jit.script, a deployable ResNet whose
data-dependent input rescale becomes torch.where or torch.cond with non-persistent buffers and a torch._assert helper,
a student and its frozen EMA teacher run by functional_call, a GroupNorm ResNet mapped over the batch by torch.vmap),
compared with the user's own unedited builder: refactors, named variants and single mistakes (a scripted constant
typed int where it was float, a shortcut test written with `|` that is always true, a torch.where with its branches
swapped, a block loop unrolled one block short, functional_call given the teacher's parameters,
replace_all_batch_norm_modules_);
``heldout129`` modified ResNets from multimodal and foundation-model repositories (OpenAI CLIP's ModifiedResNet with
its 3-conv stem, average-pool downsampling and attention-pool head, open_clip's ModifiedResNet under timm's fused-qkv
AttentionPool2d, an R3M / VIP robot-learning encoder with its fc an embedding and ImageNet normalisation in forward,
a ResNet under DINO's MultiCropWrapper and weight-normalised DINOHead), compared with the user's own unedited
builder: refactors (a single-query SDPA pool, the pool after a 1x1 conv3, a pool-conv module, children()[:-1],
weight norm written out), named variants and single mistakes (no positional embedding, the output read from the
wrong token, a stem stride moved or changed, the pool before the 3x3 conv, the / 255 left out, the L2 normalisation
left out);
``heldout130`` fused and compound torch ops inside residual networks (block ends as out.add_(shortcut).relu_(),
torch.clamp_min, F.hardtanh(x, 0, 6), torch.addmm and torch.addcmul; F.batch_norm on a module's buffers, a 1x1
shortcut by einsum, F.conv2d with a conv's default bias, a frozen BN as one addcmul; learned interpolated skips by
torch.lerp and a clamp guard), compared with the user's own unedited builder: refactors, named variants and single
mistakes hidden in a fused op's arguments (alpha=-1, the chain's order, training=True in eval, einsum subscripts
transposed, the lerp weight 1 - w, a clamp bound);
``heldout131`` training-time noise and mixing written inside forward() (a Gaussian noise layer under `if
self.training`, label-free manifold mixup after a stage of a pre-activation ResNet, wide-ResNet dropout and a
DropBlock in the blocks), compared with the user's own unedited builder: refactors (the noise inline, the mixing as a
module or before a pre-activation add, F.dropout, a min-pooled keep mask), named variants and single mistakes (the
noise left on in eval, the training test inverted, sigma changed, the shortcut left unmixed, the permutation never
used, Dropout2d where Dropout was);
``heldout132`` weight parametrizations and constraints inside residual networks (parametrizations.weight_norm on a
CIFAR ResNet without BN, equalized-learning-rate layers scaled by sqrt(2 / fan_in) in forward, low-rank U @ V kernels,
a max-norm constrained stem under a cosine classifier), compared with the user's own unedited builder: refactors (the
weight norm by hand, the gain on the input or the output, two convs for U @ V, the normalisation by hand), named
variants and single mistakes (the norm over the wrong dim, a gain missing, a factor shared where the builder has two,
a kernel viewed in HWIO order, the features normalised over the batch, a max-norm bound typed wrong);
``heldout133`` ResNets as dense-prediction backbones (a DRN-style dilated ResNet at output stride 8 with a
DeepLab-LargeFOV head, an mmdetection-style backbone with frozen_stages returning C2..C5 to an FPN, PSPNet on a dilated
ResNetV1c), compared with the user's own unedited builder: refactors (CSAIL's _nostride_dilate, IntermediateLayerGetter,
create_feature_extractor, detectron2's freeze with FrozenBatchNorm2d, a functional pyramid pooling), named variants and
single mistakes (a dilated 3x3 at padding 1, the dilation flags on the wrong stages, a stride kept on a dilated stage,
frozen_stages=0, C2 taken from the stem, the first block of a dilated stage at full dilation);
``heldout134`` mixed precision, memory-saving and dtype tricks inside residual networks (a CIFAR ResNet under a
bfloat16 autocast region with a full-precision head, a frozen-stem ResNet with checkpointed stages, a pre-activation
WiderResNet on a hand-written in-place activated BatchNorm, a cosine-classifier ResNet with explicit casts), compared
with the user's own unedited builder: refactors (one autocast region per stage, apply_activation_checkpointing, the
ABN unfused, a float64 island for the head's norm, channels_last), named variants and single mistakes (one stage's
autocast turned off, use_reentrant=True behind a frozen stem, blocks checkpointed inside checkpointed stages, the
shortcut's clone left out under an in-place ABN, a .half() round trip of the features, a stage held in bfloat16);
``heldout135`` metric-learning and task heads on ResNet backbones (an ArcFace ArcMarginProduct under a face embedder,
the labels handed over in a buffer, reid-strong-baseline's BNNeck, cirtorch's GeM retrieval net with whitening, a
CORAL ordinal head), compared with the user's own unedited builder: refactors (the margin by angle with insightface's
index assignment, F.linear on a bare weight, GeM as a mean, the logistic by hand, CORAL's preinit_bias), named variants
and single mistakes (the margin on every logit, the scale s left out, the BNNeck's shift left trainable, the test
feature taken after the classifier, GeM's p fixed, the first L2N left out);
``heldout136`` normalization-free and init-scaled residual networks (a Fixup CIFAR ResNet with scalar biases and a
branch multiplier, an NF-ResNet of scaled weight-standardised convs with alpha / beta and a skip gain, a SkipInit
ResNet, a BatchNorm ResNet with LayerScale-like per-channel scales and zero-initialised last BNs), compared with the
user's own unedited builder: refactors (the scalars as modules, the Fixup initialisation left out, WS as a
parametrization, a 0-dim alpha, the scale as a module), named variants and single mistakes (the multiplier after the
add, beta from the wrong block count, the WS eps, alpha on the shortcut, alpha a buffer, the scale before the BN);
``heldout137`` attention modules written by hand inside residual blocks (Jongchan's CBAM in a CIFAR ResNet, ECANet's
ECA-ResNet with the adaptive kernel, coordinate attention after a bottleneck's bn3, an SKNet of SKUnits), compared with
the user's own unedited builder: refactors (a 1x1-conv shared MLP, mean / amax pools, ECA by views, nn.Hardswish, 1x1-conv
excitations), named variants and single mistakes (CBAM or CoordAtt on the shortcut sum, CBAM's max-pooled branch
dropped, ECA's kernel fixed at 3, CoordAtt's bn1 commented out, SK's softmax over the channels);
``heldout138`` ResNet "bag of tricks" families as users rewrite them (fastai's XResNet, timm's ResNet-D with a deep
stem and average-pool shortcuts, timm's ResNet-RS with SE and linearly increasing drop path, CLIP's ModifiedResNet, at
sizes where the pooled maps are odd), compared with the user's own unedited builder: refactors (fastai v2's idpath,
count_include_pad flipped at padding 0, the deep stem from a list of widths, the SE by nn.Linear, CLIP's shortcut in
forward), named variants and single mistakes (MXResNet's wider stem, the shortcut's pool after its 1x1 conv, a 3x3
shortcut pool, a flat drop-path schedule, CLIP's stem pool at ceil_mode and as a max pool);
``heldout139`` Keras ResNet50 ports to PyTorch (the Coursera SIGNS ResNet50 with its ZeroPad2d stem, Keras' converted
BatchNormalization and v1 stride; keras.applications' ResNet50 with Keras' layer names, biased convs and a zero-padded
valid max pool; a weight-loading port at 128 x 128 with F.pad 'same' pads and Keras' channels-last Flatten of a 2 x 2
map), compared with the user's own unedited builder: refactors (the pad folded into the conv, the permute-then-flatten
of a 1 x 1 map, MaxPool2d's padding for the zero pad, glorot_uniform, padding='same'), named variants and single
mistakes (ZeroPad2d(2), the add before bn3, momentum 0.99 as PyTorch's, the conv3 stack at stride 1, the permute left
out on a 2 x 2 map, the identity blocks without their last ReLU);
``heldout140`` multi-branch bottlenecks as ResNeXt, Res2Net, ResNeSt and Wide-ResNet repositories write them (a CIFAR
ResNeXt with groups= on the 3x3, Res2Net's official Bottle2neck with its stage blocks, ResNeSt's SplAtConv2d with
rSoftMax, a meliketoy-style WRN-16-2 with dropout between the convs), compared with the user's own unedited builder:
refactors (the cardinality as a list of branch convs, prlz77's width formula, timm's Res2Net and SplitAttn spellings,
the WRN residual as one Sequential), named variants and single mistakes (the width formula without the / 64, the
branches concatenated last first, a Res2Net chunk added to the first branch's output, the last chunk convolved, the
stage pool only where the block strides, rSoftMax over the cardinality);
``heldout141`` downsampling written by hand in ResNets (antialiased-cnns' blur pools, detectron2's stride_in_1x1, ResNet-D's
pool shortcut, TF-slim's stage-end stride, a dilated output stride 8, strided ops as stride-1 ops and a subsample), each
against the user's own unedited builder: refactors, named variants and single mistakes (an unnormalised or 5-tap filter,
the dilation on conv2 only, a space-to-depth stem);
``heldout142`` normalisation in detection and transfer-learning backbones (detectron2's FrozenBatchNorm2d, mmdet's
norm_eval, BiT's GroupNorm and StdConv2d pre-activation ResNetV2), each against the user's own unedited builder:
refactors, named variants and single mistakes (an affine-less BN, the eval switch before super().train, WS over the
wrong axes);
``heldout143`` CIFAR ResNet families as their repositories write them (akamaster's option-A ResNet, kuangliu's ResNet18,
a pre-activation ResNet), each against the user's own unedited builder: refactors, named variants and single mistakes
(the option-A pad all on one side, the slice from 1, conv1 reading the raw input);
``heldout144`` stems and heads practitioners swap on ResNets (a deep stem, a space-to-depth stem, fastai's concat pool
head, GeM), each against the user's own unedited builder: refactors, named variants and single mistakes (the max pool
unpadded, the concat halves swapped, GeM's root left out);
``heldout145`` squeeze-excitation as people write it in ResNets (senet.pytorch, timm's SEModule, an SE-ResNet-18, the
CIFAR-100 SE-ResNet), each against the user's own unedited builder: refactors, named variants and single mistakes (the
SE after the add or on the shortcut, another reduction, a max-pool squeeze);
``heldout146`` _make_layer and block wiring as people write ResNet-18/34/50 from scratch (inplanes tracking, strides
lists, the downsample condition, a block picked by a flag), each against the user's own unedited builder: refactors,
named variants and single mistakes (the stride given to every block, the shortcut at stride 1, inplanes not updated,
expansion 4 on a basic block);
``heldout147`` activation functions in ResNets as people write them (Mish, SiLU, GELU, PReLU, LeakyReLU, ReLU6,
hard-swish, by hand and as modules), each against the user's own unedited builder: refactors, named variants and single
mistakes (a ReLU whose result is dropped, one PReLU slope, GELU's tanh form, hard-swish without its / 6);
``heldout148`` context and non-local blocks in ResNets (the non-local block, GCNet's context block, attention-augmented
convs), each against the user's own unedited builder: refactors, named variants and single mistakes (the softmax over
the queries, the block's add left out, the GC fusion by multiply, its LayerNorm left out);
``heldout149`` TF-slim and TF Model Garden ResNets ported to PyTorch ('SAME' pads, slim's stride on the last unit, v2's
postnorm, Keras' ResNet50V2), each against the user's own unedited builder: refactors, named variants and single
mistakes (momentum 0.997 as PyTorch's, the pad symmetric, the postnorm left out);
``heldout150`` ResNets written in Hugging Face transformers' style (ResNetConvLayer, ResNetEmbeddings, ResNetShortCut,
config-driven stages), each against the user's own unedited builder: refactors, named variants and single mistakes (a
hidden_act typed in another case, the stem kernel 3, a ReLU on the shortcut, a max pooler) and
``development``
(the tests/fixtures/quirky idioms the detectors were written against, twin: the torchvision reference). Where the tool does not meet an expectation today the case is a strict xfail
saying what it reports instead, so it fails once fixed. Every idiom with named patterns is also
compared with the sides swapped (the idiom as the reference): the same names must come back."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.heldout.judge import DESCRIPTIONS, judge
from fixtures.heldout.manifest import ALL, PARTS, Idiom

from resnet_verify.specs.builders import build_model
from resnet_verify.verify.comparison import compare
from resnet_verify.verify.records import Comparison

REPO = Path(__file__).resolve().parents[1]
CLASSES = 10

# What the tool reports instead, measured when the corpus was written (benchmarks/idiom_corpus.py).
NOT_YET: dict[str, str] = {
    # A stated disagreement between parts: heldout18 expected mmdet's norm_eval=True (every BatchNorm put back in
    # eval mode by the backbone's train() override) clean as training bookkeeping; heldout52 (bitfit_bn_eval),
    # heldout96 (qat_freeze_bn) and heldout102 expect BatchNorms that normalise with running statistics in training a
    # difference, which the tool reports since its train() pass runs every module's override (the backbone's here)
    "mm_r50_frozen": "normalization_layer ('Every BatchNorm frozen while training': all 53 of the candidate's "
    "BatchNorms kept in eval mode by the backbone's train()) for mmdet's norm_eval=True (expected clean: norm_eval as "
    "training bookkeeping)",
    "dy_attention_linear": "described_difference ('A Dynamic_conv2d in place of conv1, conv2 (16 layers) ... global "
    "pool, flatten, linear, relu, div, softmax, 3x3 conv') and repeated_in_blocks ('Linear where the reference has 1x1 "
    "conv (shortcut), in 3 blocks'), 38 mismatches, for the attention's bias-free 1x1 convs on the pooled 1 x 1 map "
    "as nn.Linear layers on the flattened vector, the same function with the weights reshaped (relative 1e-15 in "
    "float64): a Linear on a pooled vector not read as a 1x1 conv on a 1 x 1 map (expected clean) [kept after the session: the numeric check pairs only tensors of one shape, since a 1x1 conv's (o, i, 1, 1) weight where a Linear's (o, i) is, or a Conv1d's (o, i, 1) where a Conv2d's is, is another state dict: the conv classifier is a named variant]",
    "fno_lift_conv1x1": "one unclaimed mismatch ('stem: expected Linear, found 1x1 conv' at fc0) for the lifting fc0 "
    "as a 1x1 Conv2d on the channels-first map where the builder's nn.Linear runs on the channels-last map after the "
    "grid is concatenated, the same per-position map (4e-17 in float64); the projection's 1x1 convs pass (expected "
    "clean) [kept after the session: the numeric check pairs only tensors of one shape, since a 1x1 conv's (o, i, 1, 1) weight where a Linear's (o, i) is, or a Conv1d's (o, i, 1) where a Conv2d's is, is another state dict: the conv classifier is a named variant]",
    # heldout2, first run (expectations fixed before it): eca_mean (ECA written with a mean and
    # [:, :, None, None], read as an extra module) and no_relu_after_add (right words, judged at the
    # block path) were the two misses; both pass now.
    #
    # heldout3, first run (expectations fixed before it; 12 of 19 right):
    #
    # heldout4, first run (expectations fixed before it; 15 of 18 right): se_hardsigmoid (an SE gated by nn.Hardsigmoid read as an extra
    # module), vgg_head (a 7x7-pool Linear named widths), last_block_no_add (block_counts + an extra
    # module in the head) were the misses; all three pass now.
    #
    # heldout5, first run (expectations fixed before it; 11 of 15 right):
    # (se_reduction4 and swish_mul passed after the widths and activation fixes; the two below
    # are disagreements with the expectation rather than wrong answers, kept as measured.)
    "avgpool7_224": "fixed_size_head ('only fits square inputs of 193-224 px') for an AvgPool2d(7) that "
    "is the full-map average at 224, where nothing differs: a true hazard the expectation calls clean",
    "stem_width32": "widths ('the stem 0.5x') and 'an extra Sequential (downsample) in 1 block' for a "
    "32-channel stem; the expectation wanted it described without the widths name",
    #
    # heldout6, first run (expectations fixed before it; 12 of 16 right; twins 16 of 16 clean):
    # All four misses pass now, each by a mechanism: kuangliu_preact50 (layer1.0 left out of
    # pre_activation: its own BN-ReLU ran before its fork, after a conv-only stem; a block's own
    # pre-activation counts wherever it lands, blocks.py), keras_resnet50 (no keras_stem: the
    # stem's conv bias and BN eps, Keras layer defaults owned by other findings, broke the stem's
    # signature; padding.py), d2l_resnet18 (the BN-less projection's conv bias left to
    # repeated_in_blocks; it is part of projection_without_bn, layers.py), and:
    # kuangliu_plain_layer3 (block_counts '[2, 2, 1, 2]' and 'an extra BasicBlock in 1 block' for a
    # stage whose two blocks lost their adds) passes now: a plain run through sibling blocks is one
    # plain unit per block (tracing/structure.py), so the two missing adds are one finding at a line.
    #
    # heldout7, first run at 8c95422 (expectations fixed before it; 14 of 15 right; twins 14 of 15
    # clean; swapped 4 of 5):
    # flax_resnet50 (keras_stem and block_counts '[16, 0, 0, 0]' for Flax's NHWC ResNet-50: its
    # blocks' NHWC tensors read as 16 channels; the 'SAME' padding unreported) passes now: shapes are
    # read channels-first through the permutations (tracing/layout.py), and the port's explicit
    # 'same' pads (asymmetric on strided convs and the pool, equal elsewhere) are one tf_same_padding.
    #
    # heldout8, first run at 536d0b3 (no uncommitted edits under resnet_verify/; expectations fixed
    # before it; 10 of 14 right; twins 14 of 14 clean; swapped 6 of 10):
    # All four pass now, by mechanism: ptbxl_resnet1d (fixed_size_head for a head that pools globally
    # twice and concatenates: a global pool before the Linear is no fixed head, and a Linear reading a
    # concatenation has no network width, head.py / widths.py), kenshohara_resnet18_a (compare()
    # raised: a meta-built model that needs real tensors is now given CPU storage with to_empty, and
    # ``x.data`` is recorded as the same values so shortcut A's dataflow holds, tracer.py /
    # op_counter.py), medicalnet_resnet18 (no dilated_output_stride: the output stride is read on the
    # last spatial axis of any rank, downsampling.py), irhum_r2plus1d18 (widths for the (2+1)-D
    # midplanes: the width between a factorised conv's halves is no network width, widths.py).
    # Since gradient cuts are compared (verify/gradient_diff.py, for heldout20's detach_skip_r50),
    # kenshohara_resnet18_a's shortcut A ``out.data`` is reported too: a true difference (no gradient
    # along the three downsampling shortcuts) that its expectation, written before, did not foresee.
    "kenshohara_resnet18_a": "besides the expected names, repeated_in_blocks 'the gradient stopped (data) in "
    "the candidate (shortcut)' in layer2.0, layer3.0, layer4.0: shortcut A's out.data, a true difference outside "
    "the expectation's stem (the expectation's omission, kept as measured)",
    #
    # heldout9, first run at 27e778b (+ others' uncommitted edits under resnet_verify/; the same on a
    # clean export of 27e778b; expectations fixed before it; 10 of 12 right; twins 12 of 12 clean;
    # swapped 3 of 5):
    # Both pass now: add_to_itself (an add of one tensor to itself is no skip merge, so the blocks
    # are cut where they are and every lost add is residual_add_missing, tracing/structure.py) and
    # shared_block_list (the false "no difference": a block that reruns parameters an earlier layer
    # ran is a mismatch of its own, verify/sharing.py; 8 blocks, one finding).
    #
    # heldout10, first run at f8b198d (no uncommitted edits under resnet_verify/; expectations fixed before it; 8 of 14 right; twins 13 of 14 clean; swapped 7 of 11):
    # Fixed by mechanism since: convnext_tiny and convnext_tiny_k5 (a builder that reads values while
    # building cannot run on meta: built on the CPU, then moved, specs/user_specs.py), pyramidnet110
    # and preresnet164 (a stage is one resolution, widened by steps or not, tracing/structure.py; the
    # CIFAR family holds bottlenecks (9n + 2) and widths that grow every block, family.py),
    # stodepth_resnet50 (a random draw that decides a branch skips the block whole: stochastic
    # depth, tracing/regularizers.py; the eval multiply said as 'a per-block constant (1 ... 0.5)').
    # RegNet-Y's design-space verdict, kept as a disagreement until heldout23's few-shot ResNet-12 got the same
    # verdict: a residual network of conv blocks is compared block by block whatever its widths and stem (the
    # verdict's RegNet rule removed, family.py), and a conv on a pooled map pairs with none over the feature map
    # (an SE's with a bottleneck's, align.py), so regnety_400mf passes too.
    #
    # heldout11, first run at 1d3bc60 (no uncommitted edits under resnet_verify/; expectations fixed
    # before it; 13 of 14 right; twins 14 of 14 clean; swapped 3 of 4):
    # face_iresnet18 (insightface's IR blocks called pre-activation) passes: a BatchNorm alone before
    # a block's first conv activates nothing, so it is no pre-activation (blocks.py).
    # heldout12, first run at f072542 (no uncommitted edits under resnet_verify/; expectations fixed before
    # it; 8 of 12 right; twins 8 of 12 clean; swapped 4 of 7):
    # r18_same and r18_softmax pass now: 'same' as a layer's one-sided padding (the stem conv and
    # pool of a Keras reference) joins tf_same_padding; a Keras Dense(activation='softmax') is the
    # softmax it computes (patterns/padding.py, output_activation.py).
    # (a fact about our fixture, seen after the run: the Keras side's ZeroPadding2D(1) + 'valid' pool
    # follows a BN (r18_relu_bn) or a bare conv (r50v2_stage_end), so its zeros are not the -inf
    # padding of the port's MaxPool2d(3, 2, 1): keras_pool_padding there is a true difference the
    # ports carry unintentionally; the expectations are kept as written.)
    "r18_relu_bn": "a described_difference in the stem that includes the pool ('ZeroPadding2D ... max pool padding "
    "(1, 1) where the reference has (0, 0)': the Keras side's zero pad on a BN output stays a pad op, outside the "
    "described places) besides repeated_in_blocks for the conv-ReLU-BN order (keras_pool_padding, named here before, "
    "is gone: the Keras pool is padded by its ZeroPadding2D)",
    "r50v2_stage_end": "a described_difference for the stem pool (ZeroPadding2D's zeros before a 'valid' pool on a "
    "bare conv output, where the port's MaxPool2d(3, 2, 1) pads -inf: a real difference on negative inputs) besides "
    "stage_end_downsampling (keras_pool_padding, named before, is gone)",
    #
    # heldout14, first run at 788dc30 (+ others' uncommitted edits under resnet_verify/tracing/; expectations
    # fixed before it; 13 of 16 right; twins 16 of 16 clean; swapped 5 of 7):
    # The three misses pass now: folded_resnet50_stale_bn (one stray BN is no "no normalization"
    # design: norm_removed needs the missing norms in 2+ blocks), sn_resnet18 and wn_resnet18 (the
    # tracer folds a parametrization into a plain weight and tags the layer with it:
    # tracing/reparam.py, parameters_computed_in_forward).
    #
    # heldout13, first run at 788dc30 (+ others' uncommitted edits under resnet_verify/tracing/; expectations
    # fixed before it; 14 of 14 right; twins 14 of 14 clean; swapped 6 of 6): nothing to mark.
    #
    # heldout15, first run at d733499 (+ others' uncommitted edits under resnet_verify/verify/patterns/;
    # expectations fixed before it; 6 of 15 right; twins 13 of 15 clean; swapped 0 of 2):
    # All nine pass now, each by a spelling read as the layer it computes: x @ W.T (+ b) a Linear
    # (a transposed or viewed weight is the stored weight; tracing/products.py), einsum 'nchw,oc->nohw'
    # a 1x1 conv, nn.Linear on a channels-last map a 1x1 conv (layout.py), x[:, :, ::s, ::s] before a
    # 1x1 its stride, F.unfold + matmul a kxk conv, maximum(x, zeros_like(x)) a ReLU, sum([...])'s + 0
    # nothing (canonical.py, opkinds.py); conv_bias_before_bn looks past a permute to the BN.
    #
    # heldout16, first run at 2061c22 (others were editing resnet_verify/tracing/; expectations fixed
    # before it; 11 of 15 right; twins 15 of 15 clean; swapped 5 of 6):
    # (iresnet50 passes since pre_activation claims only norms, activations and their order: the
    # max-pool projections are downsampling_moved's; deform_resnet50 since torchvision's deform_conv2d
    # reads as a conv marked deformable, its offset conv an extra module, not the block's width)
    # (shake_shake_resnet18 passes since the structure finder reads a branch sum forking where the
    # block's add forks, with no conv between them, as part of that block, and a shape-only constant
    # (x.new_full) as no dataflow; ghost_resnet50 since a module of the user's in a conv's place is one
    # described cause, its inner widths, groups and strides its design: patterns/replaced_layer.py)
    #
    # heldout17, first run at db77c43 (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 13 of 15 right; twins 15 of 15 clean; swapped 7 of 8):
    # Both pass now: conv_classifier names a 1x1 conv to the classes before the global average
    # (averaging commutes with it); widths stays silent where only a layer's input width differs, and
    # block_counts claims the head's input size that follows from a stage cut off.
    #
    # heldout18, first run at 5e70705 (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 14 of 15 right; twins 15 of 15 clean; swapped 8 of 9):
    # (d2_cfg_freeze_at2_r50 passes: frozen BN is named however few layers are frozen)
    #
    # heldout19, first run at 4f84a2c (resnet_verify/ as at 512e994, no uncommitted edits under it;
    # expectations fixed before it; 10 of 15 right; twins 13 of 15 clean; swapped 4 of 9):
    # (panns_resnet38 passes since a sum of pooled vectors is no residual merge, convs to another width
    # after the last block are the head's, a global reduction after a fixed pool is no fixed head, and
    # a Linear fed by a head conv has no network width; voxceleb_resnetse34l since the classifier is
    # the Linear reading a vector, attentive pooling's weighted sum pools globally and a softmax that
    # something computes on is no output softmax)
    # (wespeaker_resnet34 passes since blocks pair stage by stage where the stage counts agree but
    # shapes paired them across stages: align.py's _scattered / _same_stage_score)
    # (alphazero_tower names widths since a conv's bias explains its parameter count only where the
    # widths agree: verify/diff.py)
    "alphazero_tower": "the value head returned as a second output left unexplained at model level, a place "
    "the expectation did not list (the expectation's omission, kept as measured)",
    # (band_adapter_resnet18 passes since input_channels claims a conv reading the input that makes the
    # other side's input channels: a band adapter)
    # heldout20, first run at 31fc0b3 (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 11 of 16 right; twins 16 of 16 clean; swapped 2 of 4):
    # (mixstyle_r18 and train_only_dropout_r18 pass since the forward runs once in training mode where
    # a user class branches on self.training: tracing/train_only.py)
    # (detach_skip_r50 passes since gradient cuts are compared per place: verify/gradient_diff.py)
    # (view_add_r18 and view_add_option_a_r18 pass since an in-place op on a view writes into its base,
    # a slice that keeps every element is layout, and option_a_shortcut claims the channel slice the
    # shortcut is added into)
    #
    # heldout21, first run at 0e3d498 (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 7 of 16 right; twins 16 of 16 clean; swapped 5 of 9):
    # (cnx_resnextify_r50, cnx_inverted_r50, cnx_dw_up_k7_r50 pass since depthwise blocks on the
    # reference's skeleton (blocks per stage and resolutions) are no other family, and a 1x1 paired with
    # a depthwise kxk is no grouped 1x1)
    "cnx_fewer_acts_norms_r50": "one extra_module_in_blocks finding ('An extra ReLU, BatchNorm2d in 16 blocks (in the "
    "reference)': relu, bn2 and bn3 the candidate's blocks lack, all 64 mismatches claimed and located): "
    "normalization_layer not named for the BNs missing from every block (the expectation reads 'none' among the "
    "norms; the tool reads modules removed from the blocks)",
    # (cnx_separate_down_r50 passes since one strided conv between blocks is a stage's downsampling
    # layer, BlockKind.TRANSITION, no block; repvgg_r18, acnet_r18, dbb_r18 since linear branches
    # summed are no residual merge, and BNs after every conv of one side are no "normalization
    # removed" on the other; cnx_ln_last_axis_r50 since a norm written as ops records the axes its
    # statistics reduce)
    #
    # heldout22, first run at 71299be (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 11 of 16 right; twins 16 of 16 clean; swapped 6 of 7):
    # (hardswish_r18 and resnet8_relu6 pass since x * relu6(x + 3) / 6 reads as one hard-swish and
    # clamp(x, 0, 6) / hardtanh(x, 0, 6) as ReLU6; aug_in_eval_r50 since a training-mode branch the other
    # side runs in eval too is not missing there: regularizer_diff.py)
    # (flip_tta_r18 passes since a module run again on an input its first run did not produce is one op, its
    # second run: tracing/parallel_passes.py; mean_std_swapped_r18 is described when built as the CLI builds it,
    # with its buffers' values (benchmarks/idiom_corpus.py, tests/test_buffer_values.py); this test builds on
    # meta for speed, where a buffer holds no values to compare)
    "mean_std_swapped_r18": "nothing reported (0 mismatches) when built on meta: the mean and std buffers hold no "
    "values there (as the CLI builds it, with values, the swap is described: tests/test_buffer_values.py)",
    #
    # heldout23, first run at 0968f9f (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 9 of 16 right; twins 15 of 16 clean; swapped 3 of 7):
    # (wrn_leaky_default_slope passes since an activation's own arguments are recorded (tracing/activation_args.py)
    # and one setting changed alike at many places is one described cause (patterns/uniform_setting.py);
    # fewshot_resnet12, either way, since the not-a-ResNet verdict is kept for networks without conv blocks;
    # dino_resnet50 and its twin since torch.cat of one tensor is that tensor; resnet12_dropblock_all, either way,
    # since a module named for a regularizer is it even when given its rate in forward, and a change of one kind
    # for another names the specific one; impala_cnn, either way, since BatchNorm folded into the convs keeps every
    # conv as it was, and a norm-free network of other convs never had the BatchNorms; drn_c_26, either way, since
    # stages pair by width when one side's widths are a subsequence of the other's (its thin stages extra), and the
    # 1x1-conv classifier is named before the fixed-size head takes the head's mismatches)
    #
    # heldout24, first run at 1664b31 (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 9 of 15 right; twins 13 of 15 clean; swapped 3 of 5):
    # (onnx_f32_consts_r18, haiku_resnet18 and the twins mmdnn_caffe_r50, haiku_resnet18 pass since a float
    # setting is recorded to float32's precision, 6 significant digits (tracing/records.make_attrs);
    # caffe_bn_scale_r50 since BatchNorm(affine=False) + Scale reads as the affine BatchNorm (tracing/bn_scale.py);
    # slim_resnet_v1_50, either way, since a strided max pool padded the 'same' way is tf_same_padding too)
    # (onnx_pads_onnx_order_r18: keras_stem is no longer named, Keras' ZeroPadding2D pads every side alike; the
    # pads are described where they fold, at the conv and the pool: the expectation's where lists the Pad nodes)
    "onnx_pads_onnx_order_r18": "described_difference at Conv_1 and MaxPool_5, where the ONNX-order pads fold "
    "(the expectation's where lists Pad_* only, kept as measured; at the first run keras_stem, a wrong name); "
    "layer2.0's crash left unclaimed at model level, as expected",
    # (caffe_r50_no_ceil: fixed_size_head no longer claims pool5's ceil_mode when the reference's head is fixed-size
    # the same way; what is left is the expectation's omission, kept as measured)
    "caffe_r50_no_ceil": "pool1's ceil_mode and its 55 x 55 output at pool1 (located) and pool5's ceil_mode at "
    "pool5: the loader drops ceil_mode on pool5 too, a true difference the expectation's where omitted (at the "
    "first run fixed_size_head claimed pool5's, a wrong name)",
    #
    # heldout25, first run at 4815550 (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 11 of 16 right; twins 16 of 16 clean; swapped 2 of 4):
    # (lnets_groupsort_last_axis passes since a sort records its axis; gradreg_input_r18 since a detach of the
    # model's input, through layout ops, cuts nothing the model learns through: tracing/op_args.py, gradient_diff.py)
    # heldout26, first run at 5f45d5f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the unedited builder in the same file; 7 of 16 right; twins 16 of 16 clean; swapped 1 of 1):
    # (ddpm_groupnorm16 and wavenet_cut_from_end pass since a norm's arguments and a slice's bounds are
    # recorded, one spelling each: tracing/op_args.py; srresnet_no_long_skip since a skip around every other block
    # is the trunk's surround, not a block: tracing/structure.py; cyclegan_last_block_no_add since a sibling module
    # of the blocks, back at their shape before a head of other shapes, is the last block without its add;
    # tcn_left_pad since a left pad + unpadded conv and a padded conv + chomp are one causal conv: tracing/chomp.py;
    # sngan_pool_first_shortcut since an unpadded average pool and a 1x1 conv commute: tracing/commute.py;
    # srresnet_factor_each_block since a pixel shuffle records its factor and the conv it folds makes no network
    # width: patterns/widths.py; stylegan2_split_gain and stylegan2_no_skip_gain since a sum scaled by a constant
    # is one add with its factor, however written: tracing/scaled_add.py)
    # heldout27, first run at 7188d0a (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 12 of 14 right; twins 14 of 14 clean; swapped 9 of 10):
    # (chexnet_r50_softmax passes, either way, since a softmax ending the forward where the reference ends with a
    # sigmoid is softmax_output too: patterns/output_activation.py; nnunet_resenc_xyz_strides since a pool whose
    # window is its stride is one axis mistake with it, and a transposed conv records its kernel and stride)
    # heldout28, first run at e65dd42 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the unedited builder in the same file; 8 of 14 right; twins 10 of 14 clean; swapped 1 of 2):
    # (rtdl_sequential_add, rtdl_dropout_after_add and the four twins pass since an (N, F) input is one vector of
    # features (tracing/tracer.py) and a dropout moved across the residual add is a difference: regularizer_diff.py;
    # rtdl_conv1x1 since a 1x1 conv on a vector is the Linear it computes: tracing/vector_convs.py; rtdl_hidden_halved
    # since a Linear-only block's hidden width is a network width: patterns/widths.py; mixer_layernorm_by_hand since
    # a LayerNorm written out (centred, biased variance, eps) is LayerNorm: tracing/canonical.py)
    # heldout29, first run at bbe7a26 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file or torchvision's resnet18; 11 of 16 right; twins 16 of
    # 16 clean; swapped 3 of 6):
    "der_two_backbones": "cifar_resnet_family verdict ('the reference is a CIFAR ResNet-32 ..., the candidate 6 stages "
    "of [5, 5, 4, 6, 5, 5] BasicBlocks, 16/32/64/16/32/64 wide'): the two parallel backbones read as one network in "
    "series, the family verdict given though both sides are CIFAR ResNets (one copy on the same input is compared "
    "as a network of its own, not folded as a second run: tracing/parallel_passes.py; expected described at the "
    "backbones, the concat and the fc)",
    # heldout30, first run at 45031c3 (no uncommitted edits under resnet_verify/; expectations fixed before it; 7 of
    # 16 right; twins 14 of 16 clean; swapped 3 of 6):
    "ddu_cleaned_r18": "fixed_size_head (in the reference: F.avg_pool2d(out, 4) + Linear 'only fits square inputs of "
    "32-56 px') against AdaptiveAvgPool2d(1) at 32 px, where both compute the same: a true hazard of the reference "
    "that the expectation calls clean (a disagreement, as heldout5's avgpool7_224)",
    "be_r18_weight_scaled": "106 mismatches for a numerically equal refactor (expected clean): parameters_computed_in_"
    "forward (20 convs, the Linear) for W * (s_i r_i^T), multi_scale_block for the per-member chunk / conv / cat, "
    "described_difference in stem, head and blocks ('BatchConv2d in place of conv1, conv2'), repeated_in_blocks in the "
    "shortcuts, and 3 unexplained shortcut conv params (8,576 against 8,192: the r / s factors counted into the conv)",
    # heldout31, first run at 11707ff (no uncommitted edits under resnet_verify/; expectations fixed before it;
    # 9 of 16 right; twins 16 of 16 clean; swapped 4 of 6):
    # heldout32, first run at 69d66af (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file or torchvision's resnet18; 9 of 16 right; twins 16 of 16
    # clean; swapped 2 of 2):
    # heldout34, first run at 59db904 (no uncommitted edits under resnet_verify/; expectations fixed before it; 10 of
    # 16 right; twins 16 of 16 clean; swapped 3 of 8):
    # heldout35, first run at 6d2d5e9 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is torchvision's resnet18 / resnet50 or the user's own builder in the same file; 14 of 16 right; twins
    # 16 of 16 clean; swapped 5 of 5):
    # heldout33, first run at cecb17b (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file or torchvision's resnet50; 11 of 15 right; twins 15 of 15
    # clean; swapped 2 of 3):
    # heldout36, first run at d3f6c27 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file or torchvision's resnet50; 12 of 15 right; twins 15 of 15
    # clean; swapped 3 of 5):
    "tv_fcn_r50": "dropout twice ('Dropout only in the candidate' for FCNHead's Dropout(p=0.1) at classifier.3 and "
    "aux_classifier.3) besides dilated_output_stride and described_difference for the head (right); the aux output "
    "left unexplained as an extra returned tensor (located: whole-model). The expectation did not allow dropout for "
    "the heads' dropout modules, arguably a slip of ours (heldout11's face_iresnet18 allowed it): kept as written",
    # heldout37, first run at 5944e64 (no uncommitted edits under resnet_verify/; expectations fixed before it; 9 of 16
    # right; twins 11 of 16 clean; swapped 6 of 7):
    # heldout38, first run at 1b3c7a5 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is torchvision's resnet18 / resnet50 or the user's own builder in the same file; 13 of 16 right; twins
    # 16 of 16 clean; swapped 4 of 5):
    # heldout39, first run at 5caba78 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right; twins 16 of 16 clean; swapped 3 of 4):
    # heldout40, first run at 28c8bb0 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is torchvision's resnet18 / resnet50 or the user's own builder in the same file; 8 of 16 right; twins
    # 16 of 16 clean; swapped 3 of 5):
    "gc_padded_conv_r18": "described_difference ('an extra zeros; an extra cat; conv with 12544 parameters where the "
    "reference's has 9408') for Graphcore's PaddedConv (a zero channel concatenated before a 4-channel conv): the "
    "fourth channel's weights, which only ever multiply zeros, counted as a difference (expected clean; arguably a "
    "disagreement: they are parameters the reference lacks, though dead)",
    "fuse_sequential_only_r50": "projection_without_bn ('Its conv has a bias (bias=True) where the reference's has "
    "none: there the BN's shift takes its place') claiming all 12 mismatches for the four projections whose BN a "
    "Sequential-only fuse pass folded into their conv; batchnorm_folded not reported (expected batchnorm_folded, "
    "projection_without_bn allowed; arguably a disagreement: the words describe the fold)",
    # heldout41, first run at 135c6cc (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is torchvision's resnet18 / resnet50 or the user's own builder in the same file; 14 of 16 right; twins
    # 16 of 16 clean; swapped 8 of 8):
    # heldout42, first run at b8f855e (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right; twins 16 of 16 clean; swapped 5 of 5):
    # heldout43, first run at 06b9eaf (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right; twins 16 of 16 clean; swapped 4 of 4):
    # heldout44, first run at aa79b68 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right; twins 16 of 16 clean; swapped 3 of 4):
    "gwc_concat_volume": "four extra_module_in_blocks (dres0 read as 'an extra residual unit of another kind'; lastconv's "
    "Sequential, ReLU and Conv2d) and two described_difference ('Block dres0 ...': the concatenation volume's "
    "__setitem__ / __getitem__ / cat paired with dres0's conv, BN, ReLU; 'The head ...': 'a second run of "
    "feature_extraction ... in the candidate' and three __getitem__) for GwcNet-GC's lastconv and concatenation volume "
    "against GwcNet-G: right in kind, but the head finding claims an extra conv2d at feature_extraction (the second "
    "view's run misaligned), outside the expected places (root, feature_extraction.lastconv, dres0) (expected "
    "described there, widths allowed)",
    # heldout45, first run at 0f33569 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right; twins 16 of 16 clean; swapped 5 of 6):
    "vdcnn_maxpool_blocks": "repeated_in_blocks twice ('an extra max pool in the candidate (after the add), in 3 blocks "
    "(sections.0.1, sections.1.1, sections.2.1)': the pool at the start of sections.N.0 read as following the previous "
    "block's add; 'conv stride (1,) where the reference has (2,) (main path); ... (shortcut), in 3 blocks "
    "(sections.1.0, sections.2.0, sections.3.0)') for VDCNN's MaxPoolBlock, whose max pool (3, 2, 1) on the block input "
    "carries the stride that the reference's conv1 and 1x1 shortcut carry; downsampling_moved not reported (expected "
    "downsampling_moved)",
    # heldout46, first run at eef88c3 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is torchvision's resnet18 / resnet50 or the user's own builder in the same file; 13 of 16 right; twins
    # 15 of 16 clean; swapped 4 of 4):
    # heldout47, first run at f544d3d (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right; twins 16 of 16 clean; swapped 4 of 5):
    "hg_post_activation_units": "pre_activation right but claiming 12 of 82 mismatches, with three repeated_in_blocks "
    "for the rest ('BatchNorm moved across the add; ReLU moved across the add, in 3 blocks (hgs.0.0, , hgs.1.0)', "
    "'ReLU moved across the add', 'max pool reads ReLU where the reference has residual add'): the mismatches of the "
    "hourglasses' units and of pre.4 left to block-level descriptions, and one mismatch unclaimed (expected "
    "pre_activation alone)",
    # heldout48, first run at c65ea23 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right; twins 16 of 16 clean; swapped 4 of 5):
    # heldout49, first run at 9a4054b (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 8 of 16 right; twins 16 of 16 clean; swapped 5 of 5):
    "region_rois_tensor": "parameters_computed_in_forward ('the reference's [pooler weights] are computed in forward "
    "(__getitem__→full_like→cat)': the list-to-rois conversion inside torchvision read as a weight transform) and a "
    "head described_difference (extra arange, repeat_interleave, cat) for the proposals passed as one K x 5 tensor with "
    "image indices, the format torchvision converts the list to (equal to 0 in float64 with the weights copied; "
    "expected clean)",
    # 15 of 16 clean; swapped 4 of 4):
    # heldout50, first run at 02437f6 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right; twins 16 of 16 clean; swapped 4 of 4):
    "gz_normalise_per_question": "two described_difference claiming all 248 mismatches ('The head is built differently "
    "(240 differences)': __getitem__ where the reference has Linear, 84 extra __getitem__, sum where the reference has "
    "add ...; 'The model as a whole ...': slice reads ReLU where the reference has div (x8)) for Dieleman's "
    "per-question denominators summed slice by slice and concatenated, the block-diagonal mask product exactly (3e-17 "
    "in float64): the spelling not recognised (expected clean)",
    # heldout51, first run at 38feb2d (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 8 of 16 right; twins 16 of 16 clean; swapped 2 of 5):
    "ee_block_gates_off": "block_counts ('[3, 2, 3] in the candidate, [3, 3, 3] in the reference', at layer2.2) and a "
    "described_difference in layer2.0 (an add of two computed tensors, an extra ReLU, the in-place write breaking "
    "backward) besides the right described_difference in layer2.1, for layer2.1 with both conv gates off "
    "(relu2(x + x)): the broken block read as a block left out and its doubling add given to layer2.0 (expected "
    "described at layer2.1)",
    "skipnet_sigmoid_gate": "two described_difference at group3_gate2 ('The head is built differently (7 "
    "differences)': __getitem__ where the reference has softmax, an extra sigmoid, sub ...; 'The model as a whole "
    "...': slice and log_softmax reading the 1x1 conv) for the gates' run probability as sigmoid(l1 - l0) instead of "
    "softmax(l)[:, 1], the same number (0 in float64): the spelling not recognised, and the last gate taken for the "
    "head (expected clean)",
    # (after the session of 2026-12-06 made adds of no learned tensor no blocks: BlockDrop's blend
    # fx * mask + residual * (1 - mask) no longer forms a unit forked at the mask, so the blend after the last
    # block left runs into the head)
    "blockdrop_drop_more": "block_counts right ('[2, 3, 2] in the candidate, [2, 3, 3] in the reference'), but two "
    "described_difference for the mask blend's mul and add after the last block left (in the head in the candidate, "
    "after blocks.2.0's add in the reference): the blend of a dropped block not seen as following from the count "
    "(expected block_counts alone)",
    "blockdrop_forward_single": "block_counts ('[2, 2, 2] in the candidate, [2, 4, 4] in the reference') and three "
    "repeated_in_blocks (the mask multiplies and their add 'missing in the candidate', 'ReLU moved across the add', "
    "'an extra ReLU') claiming all 22 mismatches for BlockDrop's forward_single, relu(residual + block(x)) without "
    "the builder's fx * mask + residual * (1 - mask) at mask 1 (0 in float64): the multiplies by the all-ones mask "
    "read as extra residual units (expected clean)",
    "blockdrop_conv_shortcut": "block_counts ('[2, 3, 3] in the candidate, [2, 4, 4] in the reference', at ds.1 and "
    "ds.2) and two repeated_in_blocks ('1x1 conv where the reference has avg pool (shortcut)', 'BatchNorm where the "
    "reference has cat') for FlatResNet224's conv + BN projections in place of DownsampleB's average pool and zero "
    "channels: option_a_shortcut not named, the zero-channel cat taken for residual units (expected "
    "option_a_shortcut)",
    # heldout52, first run at 482cadf (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right; twins 16 of 16 clean; swapped 4 of 5):
    "lora_merged_weight": "parameters_computed_in_forward ('In 10 layers ... the candidate's weights are computed in "
    "forward (matmul→mul→add)') with block_counts ('[2, 2, 0, 0, 2, 0, 0, 2, 0, 0]' against '[6, 1, 1, 4, ...]'), "
    "widths, projection_without_bn (in the reference), an extra_module_in_blocks and five repeated_in_blocks, 87 "
    "mismatches, for LoRA's rank-4 update merged into the weight in forward (F.conv2d on W + (B @ A).view(W.shape) * "
    "scaling), the reference's k x k down conv and 1x1 up conv exactly (3e-15 in float64): the low-rank conv branches "
    "read as shortcuts and blocks (expected clean)",
    "film_addcmul": "repeated_in_blocks ('addcmul function addcmul where the reference has mul (main path); an add of a "
    "learned 4-value parameter (task_code), before the residual add missing in the candidate (main path), in 8 "
    "blocks') for FiLM written torch.addcmul(beta, out, gamma), gamma * out + beta exactly (2e-15 in float64): addcmul "
    "not read as the multiply and add it fuses (expected clean)",
    "film_split_generator": "parameters_computed_in_forward ('In 16 layers (layer1.0 ...) the candidate's weights are "
    "computed in forward (linear→relu→__getitem__); the reference's ... (linear→relu→chunk→__getitem__)') and "
    "repeated_in_blocks ('other with 125120 parameters where the reference's has 249920 ... in 8 blocks') for the FiLM "
    "generator's last Linear(64, 3840) written as two Linear(64, 1920) heads, its halves exactly (0 in float64): the "
    "gammas and betas read as block weights computed in forward, their generators compared by size (expected clean)",
    # heldout53, first run at f6b2f9a (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right; twins 16 of 16 clean; swapped 5 of 5):
    "dp_keypoints_two_sums": "fixed_size_head ('The head (Linear(64, 64)) is sized for one input resolution ... only "
    "fits square inputs of no size from 32 to 1024 px', claiming 5 mismatches at pool) for the spatial softmax's "
    "expected x and y as robomimic's torch.sum(pos_x * attention) and torch.sum(pos_y * attention) concatenated, "
    "attention @ pos_grid exactly (4e-17 in float64): the two weighted sums not read as the matmul, and the keypoint "
    "head taken for a resolution-bound one (expected clean)",
    "dp_meshgrid_ij": "nothing reported (0 mismatches) for the keypoint grid built by torch.meshgrid(xs, ys, "
    "indexing='ij') in numpy's argument order, so pos_x runs down the rows and every keypoint's x and y are exchanged: "
    "a buffer's values, with the ops alike, not compared (expected described at the pool)",
    "r3m_normalize_in_pixel_units": "described_difference ('The stem is built differently (5 differences)': sub where "
    "the reference has div, scalar None where it has 255.0, div_ computing with (58.4, 57.12, 57.38) where the "
    "reference's has (0.485, 0.456, 0.406), div_ missing) for Normalize(255 * mean, 255 * std) on the raw frame, "
    "obs / 255 then Normalize(mean, std) exactly (4e-16 in float64): the / 255 folded into the normalisation's "
    "constants not recognised (expected clean)",
    # heldout55, first run at 7322e13 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right; twins 16 of 16 clean; swapped 5 of 5):
    "nbeats_two_heads": "two described_difference ('The stem is built differently': linear out_features 96 where the "
    "reference has 120, Linear where the reference has __getitem__, __getitem__ missing, x6; 'The model as a whole': "
    "slice reads ReLU where the reference has Linear, x6), 36 mismatches, for each block's theta Linear (128 -> 120) "
    "sliced by GenericBasis written as a backcast Linear to 96 and a forecast Linear to 24, its rows exactly (0 in "
    "float64): the split Linear not read as the sliced one (expected clean)",
    # heldout56, first run at 35a7cc7 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right; twins 16 of 16 clean; swapped 4 of 5):
    "ham_layer_sizes_halved": "widths right ('0.5x the reference's'), but two repeated_in_blocks (the y / z split's "
    "slice bounds and the kernels' parameter counts, per stack) and a described_difference ('The head is built "
    "differently': the zero channels' output shapes) claim 14 of the 30 mismatches: the halved split and zero padding "
    "not seen as following from the widths (expected widths alone)",
    # heldout54, first run at 5b95848 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 8 of 16 right; twins 16 of 16 clean; swapped 4 of 5):
    "rnvp_pixel_unshuffle": "described_difference ('The head is built differently (7 differences)': pixel_shuffle "
    "where the reference has pow, pow where it has add ...) and two unclaimed mismatches ('extra pixel_unshuffle "
    "(flows)' after flows.in_couplings.2; the model's __getitem__ reading pixel_shuffle where the reference's reads "
    "cat) for the squeeze and unsqueeze as F.pixel_unshuffle / F.pixel_shuffle, the view / permute exactly (4e-12 on "
    "2.5e4 in float64): the space-to-depth spellings not read as one (expected clean)",
    "glow_invconv_linear": "repeated_in_blocks ('Linear where the reference has 1x1 conv (main path), in 3 blocks') and "
    "one unclaimed 'stem: expected 1x1 conv, found Linear' at blocks.0.flows.0.invconv for nflows' 1x1 conv, F.linear "
    "on the map permuted to channels last and reshaped to rows, F.conv2d's 1x1 exactly (4e-12 on 2.5e4 in float64): "
    "the Linear on the reshaped channels-last map not read as the 1x1 conv (expected clean)",
    "glow_normal_log_prob": "described_difference ('The head is built differently (14 differences)': exp where the "
    "reference has __rsub__, broadcast_tensors where it has sub, log where it has mul ...) and one unclaimed mismatch "
    "at blocks.1 (log reading broadcast_tensors where the reference's reads pow) for the priors' log-density by "
    "torch.distributions.Normal(mean, log_sd.exp(), validate_args=False).log_prob, the hand-written formula exactly "
    "(4e-12 on 2.5e4 in float64): the spelling not recognised (expected clean)",
    "irev_nblocks_232": "described_difference ('Block stack is built differently': an extra BatchNorm and an extra ReLU "
    "after the add) and one unclaimed 'the skip over blocks stack (a residual add around them) is extra in the "
    "candidate' at stack.3.bottleneck_block for nBlocks [2, 3, 2]: the extra additive-coupling block not counted as a "
    "block (expected block_counts)",
    # heldout57, first run at c2c1db5 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 9 of 16 right; twins 16 of 16 clean in the benchmark run,
    # 15 of 16 under pytest -n 2; swapped 2 of 5):
    "sew_imagenet_stem": "two extra_module_in_blocks ('An extra residual unit of another kind' at sn1, the stem "
    "neuron's v + x[t]; 'An extra SeqToANNContainer, MultiStepIF in 1 block' at layer1.0) and a described_difference "
    "('The stem is built differently': kernel (7, 7), padding (3, 3), stride (2, 2) where the reference has (3, 3), "
    "(1, 1), (1, 1)) without cifar_stem, 'layer1.1: block missing in the candidate' unclaimed, for sew_resnet.py's 7x7 "
    "stride-2 stem and max pool on 32 px images: the IF neurons' membrane additions read as residual units, so the "
    "stem and the stages misalign (expected cifar_stem)",
    "sew_resnet34": "block_counts right ('[1, 4, 4, 6, 3] in the candidate, [1, 3, 2, 2, 2] in the reference': the stem "
    "neuron counted as a block) beside a described_difference ('The model as a whole is built differently (42 "
    "differences)': extra __rsub__, __getitem__, mul ... at layer3.1.sn1) for [3, 4, 6, 3]: the extra blocks' neuron "
    "loops not seen as following from the block counts (expected block_counts alone)",
    "sew_iand": "not_a_residual_network ('it has no residual additions'; before, block_counts and extra modules) for "
    "identity * (1 - out) in place of out + identity: a skip merged by a multiply is no residual add to the block "
    "finder, so the network reads as another family and its blocks are not compared (expected described in the "
    "stages)",
    "tet_preallocated_spikes": "block_counts, two described_difference ('setitem bounds :, 0, :, :, : where the "
    "reference has None (16 places)') and five repeated_in_blocks ('__getitem__ where the reference has stack', 'an "
    "extra residual add', 'a multiply by the constant 0.5, before the residual add' ...), 151 mismatches, for the "
    "spikes written into a preallocated torch.zeros_like(x) by out[:, t] = spike, torch.stack of the same spikes "
    "exactly (0 in float64): the setitem writes not read as the stack, and the neurons' mem * tau + x[:, t] taken "
    "for residual adds (expected clean)",
    "ms_widths_doubled": "described_difference and repeated_in_blocks at every block, the stem and the head "
    "('residual_function.1, residual_function.4 are each a Snn_Conv2d ...', 'batch norm with 64 parameters where the "
    "reference's has 32'), widths not reported, for every width doubled (expected widths); until the head.py fix of 2026-12-07 "
    "compare() raised TypeError in detect_fixed_head (int() of the output_size (None, 1, 1) of "
    "F.adaptive_avg_pool3d over the [T, B, C, H, W] output)",
    # heldout58, first run at 4cd0868 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right; twins 16 of 16 clean; swapped 5 of 5):
    "react_fused_down_pw": "block_counts ('[9, 3, 3, 21, 3, 21, 3, 21] in the candidate, [17, 3, 11, 21, 11, 21, 11, 21] "
    "in the reference'), extra_module_in_blocks ('An extra BinaryConv2d, BatchNorm2d in 4 blocks') and five "
    "repeated_in_blocks ('residual add where the reference has cat', an extra ApproxSign's ops, 'the reference's "
    "in-place add first in the block overwrites its input'), 148 mismatches, for the reduction blocks' two 1x1 convs "
    "and BatchNorms as one 1x1 conv to twice the channels and one BatchNorm with the shortcut concatenated with itself, "
    "exactly (0 in float64): the fused conv not read as the pair (expected clean)",
    # heldout59, first run at a9f7586 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 9 of 16 right; twins 16 of 16 clean; swapped 6 of 6):
    "gcmr_graphlinear_conv1d": "four repeated_in_blocks ('1 conv where the reference has matmul', 'an add of a learned "
    "parameter (gc.1.lin1.b) missing', main path and shortcut) and two described_difference (stem, head), plus one "
    "unclaimed '3 parameter tensors (12,288 values) never used in forward: shape.0.skip_conv.weight ...' for every "
    "GraphLinear (W[None] @ x + b[None, :, None]) as nn.Conv1d(in, out, 1) (1.6e-17 in float64): the matmul-and-bias "
    "1x1 conv not read as the conv, and the unused skip convs compared by parameter name (expected clean)",
    "gcmr_batched_adjacency": "described_difference ('A GraphConvolution in place of conv (5 layers) (in the "
    "reference)': the per-sample loop's slice, linear, cat, add read as a layer of another design) and four findings on "
    "the blocks' norm2 / ReLU output shapes ('(1, 32, 64) where the reference has (1, 64, 32)') for the loop over the "
    "batch (x[i] @ W, adjmat @ support, torch.stack) written as one broadcast matmul, exactly (0 in float64): the "
    "looped adjacency product not read as the batched one (expected clean)",
    "gcmr_adjacency_unnormalized": "no mismatch: the 64 x 64 adjacency buffer every GraphConvolution multiplies by "
    "holding 0 / 1 with self-loops instead of adjmat_sparse's row-normalised values (a non-persistent buffer) not "
    "compared (expected described at the graph convolutions)",
    # heldout60, first run at f618c80 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 6 of 16 right; twins 11 of 16 clean; swapped 2 of 5). Four
    # of the misses (cheng_attn_named_branches, cheng_ste_no_detach, cheng_attn_unit_no_relu, cheng_igdn_not_inverse)
    # and the five unclean twins were one unclaimed mismatch that came and went with the RNG state: 'outside the
    # blocks: max custom_backward is LowerBoundFunction, expected None' (or the reverse) at
    # entropy_bottleneck.likelihood_lower_bound, the same builder compared with itself. The fixture's entropy
    # bottleneck was then built with likelihood_bound=0 (expectations unchanged); since then 10 of 16, twins 16 of 16:
    "cheng_gdn_einsum": "parameters_computed_in_forward ('In 6 layers (g_a.0.gdn ...) the candidate's weights are "
    "used as stored; the reference's are computed in forward (max→pow→sub)') and two repeated_in_blocks ('mul where "
    "the reference has pow (main path)', in the analysis and the synthesis GDNs) for GDN's norm pool as "
    "torch.einsum('dc,nchw->ndhw', gamma, x * x) + beta, the 1x1 F.conv2d exactly (8e-16 in float64): the einsum over "
    "the reparametrised gamma not read as the conv (expected clean)",
    "cheng_n48": "widths right (claiming 133 of 146), but two repeated_in_blocks (the sub-pixel convs' parameter "
    "counts in h_s and the upsampling blocks' main paths and shortcuts), two described_difference (h_s: the chunk's "
    "slice bounds ':, 48:' for ':, 32:'; the model as a whole: 'linear with 576 parameters where the reference's has "
    "384' (x2) and the chunk's other half) and the final sub-pixel conv's parameters unclaimed, for N = 48: the "
    "sub-pixel convs (4x the channels before PixelShuffle), the chunk into scales and means and the entropy "
    "bottleneck's per-channel matrices not counted as the same widening (expected widths alone)",
    "hyper_dcvc_resblock": "repeated_in_blocks ('leaky_relu moved across the add, in 7 blocks (g_a.1, g_a.3, g_a.5, "
    "g_s.0 ... g_s.6)') for DCVC's ResBlock(start_from_relu=True) (LeakyReLU, conv, LeakyReLU, conv, the input "
    "added) in place of conv, LeakyReLU, conv, LeakyReLU, the input added: the move described, not named; "
    "pre_activation not reported (expected pre_activation)",
    # heldout61, first run at fd06c35 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right; twins 16 of 16 clean; swapped 4 of 5):
    "fno_view_as_complex": "parameters_computed_in_forward ('In 8 layers (convs.0 ...) the candidate's weights are "
    "computed in forward (view_as_complex); the reference's are used as stored') and repeated_in_blocks ('other with "
    "51200 parameters where the reference's has 25600 (shortcut), in 4 blocks') for each spectral weight stored as "
    "float32 pairs and made complex by torch.view_as_complex, the same products (0 in float64): the view read as a "
    "weight transform and the real pair counted as two values (expected clean)",
    "fno_width32": "widths right (claiming 13 of 20), but repeated_in_blocks ('zeros output_shape (1, 32, 34, 18) "
    "where the reference has (1, 20, 34, 18) (shortcut), in 4 blocks': the spectral convs' out_ft buffers) and a "
    "described_difference for the stem ('linear out_features 32 where the reference has 20'), for width 32: the "
    "lifting Linear's output and the zero spectrum buffers not counted as the same widening (expected widths alone)",
    "fno1d_soft_gating": "repeated_in_blocks ('fft_rfft where the reference has 1 conv (main path); mul function mul "
    "where the reference has fft_rfft (shortcut) ...; zeros, __getitem__, einsum, __setitem__, fft_irfft moved across "
    "the add, in 4 blocks (w0, w1, w2, w3)'), its 36 mismatches placed at the spectral convs conv0 to conv3 as well as "
    "the skips, for each 1x1 Conv1d skip replaced by neuraloperator's soft-gating weight * x: the spectral conv and "
    "the skip paired the wrong way round across the add (expected described at w0 to w3)",
    # heldout62, first run at 6876e74 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 9 of 16 right; twins 16 of 16 clean; swapped 3 of 5):
    "condconv_expert_bias": "conv_bias_before_bn right (12 convolutions, claiming 12 of 24), but a "
    "described_difference ('A CondConv2d in place of conv1, conv2 (12 layers) ... a layer of another design in the "
    "conv's place') claims the other 12 for the per-expert biases mixed by the routing (torch.matmul(routing, bias)) "
    "and passed to F.conv2d: the bias's matmul read as a layer of another design rather than as part of the bias "
    "(expected conv_bias_before_bn, parameters_computed_in_forward allowed)",
    "dy_dyrelu": "two extra_module_in_blocks ('An extra DyReLUB in 8 blocks' for relu1, '... in 7 blocks' for relu2), "
    "a described_difference in the head (layer4.1's DyReLU read as head ops: 'linear out_features 32 where the "
    "reference has 10', an extra sigmoid, 'a multiply by the constant 2') and one unclaimed ('layer4.1 after the add: "
    "ReLU is missing in the candidate') for DyReLU-B in place of both ReLUs of every block: the dynamic activation read "
    "as added modules, the ReLU it replaces not paired with it; activation_function not reported (expected "
    "activation_function)",
    "od_single_kernel": "branch_attention ('Attention over branches in 8 blocks (in the reference)': the reference's "
    "ODConv read as 'weighted per channel by a softmax attention across the branches ... and summed'), claiming all 64 "
    "mismatches, for kernel_num=1 where the builder has four kernels per ODConv: the kernel attention's softmax over "
    "the mixed kernels taken for a selective-kernel unit (expected described in the stages)",
    "hyper_no_b2": "three repeated_in_blocks ('conv with 74960 parameters where the reference's has 75984 (main "
    "path), in 2 blocks (res_net.0, res_net.1)' ...) and three unclaimed (two more conv parameter counts, '1 "
    "parameter tensors (1,024 values) never used in forward: hope.b2'), 13 mismatches, placed at the blocks "
    "res_net.0 to res_net.5 whose F.conv2d reads the generated kernels, for h_in = z @ w2 without + b2: the missing "
    "add in the hypernetwork not reported where it is (expected described at hope and zs)",
    # heldout63, first run at a224af9 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 9 of 16 right; twins 16 of 16 clean; swapped 3 of 5):
    "r2u_ru_net": "nine repeated_in_blocks and four unclaimed mismatches, 39 in all: 'residual add missing in the "
    "candidate (block), in 5 blocks (RRCNN1 ... Up_RRCNN2)' right in substance but not named, beside extra conv / "
    "BatchNorm / ReLU / max pool / interpolate 'in 4 blocks' and weights 'run a second time' where the reference's "
    "have their own: without the outer add the recurrent units' x + x1 adds are taken for the residual blocks and the "
    "blocks misalign, for RRCNN_block returning x1 without x + x1 (expected residual_add_missing)",
    "r2u_x_plus_x": "block_counts ('[1, 0, 1, 1, 1, 1, 1, 1, 2] in the candidate, [5, 1, 6, 1, 6, 1, 6, 1, 7] in the "
    "reference') beside ten repeated_in_blocks in the RRCNN blocks and a described_difference ('The model as a whole is "
    "built differently (41 differences)'), and an unclaimed 'extra "
    "max pool (Maxpool)' at the root, for the copied Recurrent_block's conv(x + x) that never feeds its state back: "
    "the recurrent x + x1 adds read as residual blocks, so their loss changes the count (expected described in the "
    "RRCNN blocks, no block_counts)",
    "dt_split_recall": "block_counts ('[9] in the candidate, [8] in the reference'), extra_module_in_blocks ('An extra "
    "Sequential in the stem (in the reference)', the projection), two repeated_in_blocks ('an extra residual add in "
    "the candidate; cat missing', 'conv with 9216 parameters where the reference's has 10080') and a "
    "described_difference in the stem, for the recall conv over torch.cat([thought, x], 1) written as conv_h(thought) "
    "+ conv_x(x) with the kernel split, the same linear map (1e-15 relative in float64): the sum of two convs taken "
    "for a residual add, not read as the conv over the concatenation (expected clean)",
    # heldout64, first run at 37e2223 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the benchmark, which builds each side as
    # the CLI does, with its values; twins 16 of 16 clean; swapped 4 of 5). This test builds the candidate on meta,
    # where two clean refactors of a kernel computed in forward cannot be checked numerically and fail too:
    "p4m_index_gather": "two parameters_computed_in_forward findings ('In 14 layers (layer1.0.conv1 ...) the "
    "candidate's weights are computed in forward (__getitem__); the reference's are computed in forward "
    "(rot90→__getitem__→index_select→flip→cat). Shapes and parameter counts agree; the function does not', and the same "
    "for conv1), 15 mismatches, when built on meta, for the P4M kernels gathered with GrouPy-style index tables, the "
    "same kernels (0 in float64): on meta the two kernel functions hold no values to compare (as the CLI builds it, "
    "with values, it compares clean: the benchmark's first run) (expected clean)",
    "steer_matmul_basis": "two parameters_computed_in_forward findings ('In 12 layers (layer1.0.conv1 ...) the "
    "candidate's weights are computed in forward (matmul→roll→rot90→stack); the reference's are computed in forward "
    "(einsum→roll→rot90→stack) ... the function does not', and the same for conv1), 13 mismatches, when built on meta, "
    "for the steerable kernels as weight @ basis.view(K, -1), the same kernels (0 in float64): on meta the basis buffer "
    "holds no values to compare (as the CLI builds it, with values, it compares clean: the benchmark's first run) "
    "(expected clean)",
    # heldout65, first run at 271a6e5 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right in the corpus run, 9 of 16 under this test's
    # meta build (fca_low16); twins 16 of 16 clean; swapped 4 of 5):
    "oct_sliced_weights": "parameters_computed_in_forward ('In 78 layers ... the candidate's weights are computed in "
    "forward (__getitem__)'), widths ('the head 0.25x'), seven repeated_in_blocks (conv parameter counts 2x to 4x the "
    "reference's, '2 parameter tensors run a second time (weights shared with an earlier layer)', '1x1 conv moved "
    "across the add') and six described_difference findings (stem, head, model as a whole, blocks), one unclaimed "
    "(layer4.0.conv1.conv parameters), 197 mismatches, for each OctaveConv as one (out, in, k, k) weight and F.conv2d "
    "with its four slices, the same four convs (0 in float64): the slices of one parameter read as convs each holding "
    "the whole weight, shared between them (expected clean)",
    "wave_strided_blocks": "two downsampling_moved ('Downsampling moved from the 2x2 conv to the 3x3 conv' in layer2.0 "
    "to layer4.0, main path; '... to the 1x1 conv', shortcut), allowed and claiming all 12, for the blocks' Haar DWTs "
    "(a depthwise 2x2 conv with a fixed buffer, every tap 1/2, at stride 2) taken out and the stride put back on the "
    "convs: the fixed low-pass filter read as a 2x2 conv, blur_pool not reported (expected blur_pool)",
    "aa_separable_blur": "factorised_conv ('3x3 convs factorised into 3x1 + 1x3', 3 blocks), axis_stride ('stride 1 "
    "on the width axis at maxpool.1') and a described_difference in the stem ('conv kernel_size (3, 1) where the "
    "reference has (3, 3); an extra 1x3 conv'), 28 mismatches, for the fixed binomial 3x3 blur applied as [1, 2, 1] / "
    "4 down, then across (strides (2, 1) and (1, 2)) after the same reflection pad, the same filter (2e-15 in "
    "float64): the two passes not read as the 3x3 filter they compose (expected clean)",
    "fca_low16": "nothing reported (0 mismatches) when built on meta: the DCT buffers hold no values there (as the CLI "
    "builds it, with values, the corpus run reports one described_difference claiming all 6 at the attention layers: "
    "right)",
    # heldout66, first run at 01e1658 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right; twins 16 of 16 clean; swapped 4 of 5):
    # (shot_wn_head, right in this test, was missed by the corpus run, which builds with values: its numeric check
    # found the weight-normalised head to compute the same function with the reference's tensors copied in and dropped
    # the difference with a note, 0 mismatches and parameters_computed_in_forward not reported; built on meta here,
    # it is named)
    "dubn_ddp_zero_branch": "three repeated_in_blocks ('an add of two computed tensors (no residual block's) in the "
    "candidate (main path), in 8 blocks', twice, and in the 3 projection shortcuts), a described_difference ('an extra "
    "BatchNorm in the candidate (model) (x20)') and one unclaimed ('stem: extra residual add (bn1)'), 40 mismatches, "
    "for ATMC's DDP-safe DualBatchNorm2d adding the idle BatchNorm's output on zeros times 0 (its running statistics "
    "put back): the zero branch read as extra BatchNorms and adds, not as adding zero (expected clean)",
    "dubn_dubin": "extra_module_in_blocks ('An extra DuBIN in 6 blocks ... (bn1: split, norm, BatchNorm, cat)') "
    "claiming 30 of 31 mismatches (the last, the DuBINs' idle auxiliary BatchNorms 'never used in forward', unclaimed "
    "but located), for AugMax's DuBIN as bn1 in layer1-3: the instance / batch split read as a module added beside the "
    "norm, not as another normalization in the BatchNorm's place; normalization_layer not reported (expected "
    "normalization_layer)",
    # heldout67, first run at 06c3988 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right in the corpus run, 10 of 16 under this test's
    # meta build (adain_var_mean); twins 16 of 16 clean; swapped 3 of 5):
    "cin_embedding_table": "parameters_computed_in_forward ('the reference's are computed in forward (__getitem__)', 10 "
    "layers), repeated_in_blocks ('mul where the reference has mul; residual add where the reference has add', 5 "
    "blocks) and two described_difference findings (stem and head: 'an extra embedding', 'an extra chunk', 'full "
    "function full where the reference has mul' ...), 112 mismatches, for each conditional norm's gamma / beta tables "
    "as one nn.Embedding(4, 2C) looked up per sample and chunked, the same rows (0 in float64): the indexed Parameter "
    "rows and the Embedding lookup not read as the same scale and shift (expected clean)",
    "adain_var_mean": "two parameters_computed_in_forward findings ('the candidate's weights are computed in forward "
    "(conv2d→pad→relu→max_pool2d→var_mean→add(1e-05)→sqrt); the reference's ... var(dim=(2,))→add(1e-05)→sqrt') and a "
    "described_difference in the stem ('var_mean function var_mean where the reference has var; global pool missing in "
    "the candidate'), 4 mismatches, when built on meta, for calc_mean_std by torch.var_mean over dims 2 and 3, the same "
    "statistics (3e-12 in float64): on meta the two statistics hold no values to compare (as the CLI builds it, with "
    "values, it compares clean: the corpus run) (expected clean)",
    # heldout69, first run at 1dc018d (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right; twins 16 of 16 clean; swapped 4 of 5):
    "sg_tutel_einsum": "multi_scale_block ('the middle conv is cut into groups of 16 channels, 4 3x3 convs on them, "
    "concatenated', 6 blocks) and two repeated_in_blocks (extra gt, cumsum, sub, ReLU, long, one_hot, mul, einsum; "
    "'einsum equation sec,ecm->sm where the reference has None', 'mul moved across the add'), 84 mismatches, for "
    "tutel's einsum dispatch into capacity-B expert buffers and einsum combine, the same outputs (1e-15 relative in "
    "float64): the expert convs run on the dispatched chunks read as a split middle conv, the dispatch as extra ops "
    "(expected clean)",
    "sw_embedding_conv": "one described_difference ('A SwitchConv2d in place of conv1, conv2 (12 layers) (in the "
    "reference)': the reference's four experts stacked and gathered read as a layer of another design where the "
    "candidate 'has a conv'), claiming all 84 mismatches, for the expert kernels looked up by F.embedding(route_idx, "
    "weight) into a grouped conv over the folded batch, the same outputs and gradients (0 in float64) (expected "
    "clean)",
    "heads_batched_einsum": "a described_difference in the head ('einsum where the reference has Linear (head) (x2); "
    "add where the reference has ReLU; Linear missing in the candidate (x3) ... stack missing'), 9 of 10 mismatches, "
    "and one unclaimed ('add (head.experts) reads einsum where the reference's reads global pool'), for the three "
    "expert MLP heads as stacked parameters applied by two einsums plus biases, the same stacked outputs (1e-15 "
    "relative in float64) (expected clean)",
    # heldout68, first run at 90a038d (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 9 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 5):
    "hybrid_linear_embed": "described_difference ('The head is built differently (4 differences, no named "
    "variant)': conv dilation, kernel_size, padding and stride (1,) where the reference has (1, 1)) claiming all 4 "
    "mismatches, for the patch embedding as nn.Linear(256, 32) on the flattened, transposed tokens (timm's HybridEmbed) "
    "where the builder applies a 1x1 Conv2d and then flattens: the Linear read as a 1-D conv whose attributes are "
    "compared with the 2-D conv's, the same projection (6e-15 in float64) not recognised (expected clean)",
    # heldout71, first run at 5f4c498 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run, 12 of 16 under this test,
    # which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 6):
    "raw_stem_unfold": "under this test only (meta): a described_difference in the stem ('pad where the reference "
    "has 11 conv; an extra unfold; an extra einsum') claiming the 3 mismatches at conv0, for conv0 written as F.pad + "
    "Tensor.unfold framing + einsum with the kernel kept as conv0.weight (4e-15 relative in float64): without values "
    "the spelling is not recognised; the corpus run, which builds the candidate with its values, compares it clean (at "
    "the first run the pre-emphasis' two-tap conv was also named blur_pool) (expected clean)",
    "raw_preemph_unflipped": "under this test only (meta): no mismatch at all, for the flipped_filter buffer written "
    "[1., -0.97] where the builder's is [-0.97, 1.]: on meta the buffer has no values to compare; the corpus run, which "
    "builds the candidate with its values, finds it at preemphasis (expected described at preemphasis)",
    # heldout72, first run at c72fd66 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 16 of 16 right in the corpus run, which builds each model
    # with its values, 13 of 16 under this test's meta build, where the numeric check has no values to compare;
    # twins 16 of 16 clean; swapped 5 of 5):
    # heldout70, first run at 29506b8 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 5 of 6):
    # heldout73, first run at 69c1cda (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 9 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 3 of 6):
    "muzero_minmax_where": "a described_difference ('Block representation_network.resblocks.0 is built differently'; "
    "at the first run 5 differences, now 3: '__getitem__ missing', 'add function add where the reference has add_', "
    "'where function where where the reference has setitem') for the per-channel min-max scaling by torch.amin / "
    "torch.amax and torch.where where the builder views to (n, C, H * W), takes .min(2)[0] / .max(2)[0] (now read as "
    "amin / amax) and adds 1e-5 in place under a mask, the same state (0 in float64): the masked in-place add not read "
    "as the where, the numeric check not dropping it (expected clean)",
    "muzero_two_blocks": "block_counts ('Blocks per stage are [2, 2, 3, 5] in the candidate, [2, 2, 3, 3] in the "
    "reference') beside two described_difference findings (the min-max scaling's min, max, sub, lt, __getitem__ ... "
    "'missing' in representation_network.resblocks.0 and 'extra' in prediction_network.resblocks.0), for a second block "
    "in the representation and the prediction towers: the scaling between the towers, read as the tail of the last "
    "representation block, lands in another block once the count changes (expected block_counts)",
    # heldout74, first run at 2b92cc7 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 5 of 5):
    "sngan_onehot_projection": "parameters_computed_in_forward ('In 1 layer () the candidate's weights are divided by "
    "their largest singular value at each call (spectral_norm ...); the reference's are divided by their largest "
    "singular value at each call') claiming the one mismatch ('head: mul param_ops is spectral_norm→linear, expected "
    "spectral_norm→embedding'), for the projection's class vector as a spectrally normalised bias-free Linear on a "
    "one-hot buffer where the builder looks the fixed class up in a spectrally normalised Embedding: the same row of "
    "the transposed matrix and the same sigma (5e-16 in float64 in eval), the lookup not read as the one-hot product "
    "(expected clean)",
    # heldout75, first run at a2660f2 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 5 of 6):
    # heldout76, first run at 24853bf (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 5 of 6 in the corpus run, 6 of 6 under this test):
    # heldout77, first run at 069feac (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 6 of 6):
    # heldout78, first run at 07c6dc8 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 6 of 6):
    # heldout79, first run at 4039b27 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run, 14 of 16 under this test,
    # which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5):
    # heldout80, first run at 93d7b87 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 5):
    # heldout81, first run at abeef08 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 6 of 6):
    "psm_spp_adaptive_pool": "two described_difference findings ('The head is built differently (4 differences, no "
    "named variant)': 'global pool where the reference has avg pool (head); adaptive pool where the reference has avg "
    "pool (head) (x3)', and the same four again 'in the model as a whole') claiming 8 mismatches at branch1.0 .. "
    "branch4.0, for the SPP branches' AvgPool2d(k, stride=k) written nn.AdaptiveAvgPool2d(16 // k) on the 16 x 16 map: "
    "the same windows (float64 rounding, train and eval), the adaptive pool of an evenly divided map not read as the "
    "fixed one (expected clean)",
    # heldout82, first run at fdf70f7 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 6 of 6):
    "thin_am_mm_norm": "parameters_computed_in_forward ('In 1 layer (head) the candidate's weights are computed in "
    "forward (normalize(p=2.0, dim=0)); the reference's are computed in forward (normalize(p=2.0, dim=1)) ... the "
    "function does not') claiming the one mismatch ('head: Linear param_ops is normalize(p=2.0, dim=0), expected "
    "normalize(p=2.0, dim=1)'), for voxceleb_trainer's AMSoftmax spelling: W stored as (in_feats, n_classes), its "
    "columns normalised by torch.norm + clamp + div and read by torch.mm, where the builder normalises the rows of a "
    "(n_classes, in_feats) weight and reads it by F.linear: the same cosine logits (6e-13 in float64, train and eval), "
    "the transposed layout's normalisation axis not followed (expected clean)",
    "ecapa_dense_sums": "three described_difference findings and a repeated_in_blocks ('an add of two computed tensors "
    "(no residual block's) ... in 2 blocks (layer2, layer4)'), 14 mismatches, for TaoRuijie's summed block inputs "
    "(layer3 fed out1 + out2, layer4 out1 + out2 + out3): the extra adds cut the chain into [4] blocks for [3] ('Blocks "
    "joined otherwise'), so the candidate's layer2 is paired with the reference's layer4 ('conv dilation (2,) where the "
    "reference has (4,)' found in layer2.se_res2block.1.convs.*, the Res2Net split 'reads its input moved otherwise' "
    "in layer2) and one mismatch ('the skip over blocks layer3 ... is extra', at the root) is left unclaimed: findings "
    "located in layer2, which the edit does not touch (expected described at the root's adds, layer3 and layer4)",
    # heldout83, first run at cbc4780 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 16 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 6 of 6): no miss.
    # heldout84, first run at 88fc38b (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run, which builds each model
    # with its values, 12 of 16 under this test, which builds the candidate on meta (lla_einsum_variance); twins 16 of
    # 16 clean; swapped 4 of 5):
    "lla_einsum_variance": "under this test only (meta): a described_difference in the head ('The head is built "
    "differently (19 differences, no named variant)': 'Linear missing in the candidate', 'einsum equation nd,de,ne->n "
    "where the reference has None', 'einsum function einsum where the reference has matmul', 'mul function mul where "
    "the reference has diag', the sqrt and __rdiv__ 'missing in the candidate' ...) claiming all 19 mismatches at head, "
    "for the predictive variance's diagonal by torch.einsum('nd,de,ne->n', phi, U, phi)[:, None] * V.diagonal() + "
    "B.diagonal() for the diagonal of the full covariance (4e-16 in float64): on meta the covariance buffers hold no "
    "values for the numeric check to compare; the corpus run, which builds the candidate with its values, compares it "
    "clean (expected clean)",
    # heldout85, first run at c96bfd1 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 6):
    "gait_bnneck_unnormalised": "parameters_computed_in_forward ('In 1 layer (BNNecks) the candidate's weights are "
    "used as stored; the reference's are computed in forward (normalize(p=2.0, dim=1)) ... the function does not') "
    "for the class matrices' F.normalize ('head: Linear param_ops is None, expected normalize(p=2.0, dim=1)'), the "
    "features' one ('head: normalize after BNNecks.bn1d is missing in the candidate') left unclaimed, for "
    "SeparateBNNecks(norm=False): the cosine logits a plain matmul, both operands' L2 normalisation gone; a name for "
    "a weight transform given to half of the edit (expected described at BNNecks, no variant's name)",
    "pp_first_stride_one": "no finding; both mismatches ('stem: 3x3 conv stride is (1, 1), expected (2, 2)' and "
    "'stem: 3x3 conv output 1x16x32x32, expected 1x16x16x16', at backbone_2d.blocks.0.1) left unclaimed, for the "
    "first BEV level at stride 1 (layer_strides (1, 2, 2), the paper's pedestrian / cyclist backbone): the "
    "residual-free first level read as the stem and its stride change not named (expected first_stage_downsampling)",
    # heldout86, first run at c4285f7 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 5):
    # heldout87, first run at 3b783f8 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 5):
    "fad_einsum": "two described_difference findings for a clean refactor: 'The stem is built differently (16 "
    "differences, no named variant)' at FAD_head ('einsum where the reference has Linear (stem) (x3); mul where the "
    "reference has Linear (stem) (x2); einsum equation ij,ncjk,kl->ncil where the reference has None (stem) (x2) ... "
    "Linear missing in the candidate (stem) (x5)') and 'The model as a whole is built differently (5 differences, no "
    "named variant)' ('the reference runs 8 parameter tensors a second time (weights shared with an earlier layer) "
    "where the candidate's layers have their own' and four reads), 21 mismatches, for the forward and inverse DCT "
    "as torch.einsum('ij,ncjk,kl->ncil', ...) on the same two frozen matrices in place of the two @ matmuls each: "
    "the matmuls with a frozen parameter read as Linear layers, the einsums not paired with them (expected clean; 2e-15 "
    "relative in float64, train and eval)",
    "fad_no_inverse": "described_difference at FAD_head ('The stem is built differently (8 differences, no named "
    "variant): Linear missing in the candidate (stem) (x8)') claims 8 of 9 mismatches; the whole-model one ('in the "
    "reference, outside the blocks runs 8 parameter tensor(s) that an earlier layer already ran (FAD_head) ...', "
    "shared_params: the DCT matrices read again by the inverse transforms) is claimed by no finding and lies outside "
    "where (FAD_head; the idiom is not model_level), for the four filtered bands handed to the ResNet without their "
    "inverse DCT (expected described at FAD_head)",
    # heldout88, first run at c37a78a (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run, 15 of 16 under this test;
    # twins 16 of 16 clean; swapped 5 of 5). dm_abs_density is missed in the corpus run only (no mismatch at all:
    # Bayesian loss's torch.abs for the density layer's ReLU not seen); under this test, whose warnings filter makes
    # the deprecated F.upsample_bilinear's UserWarning an error, the tool finds 'head: expected ReLU, found abs' at the
    # root and the idiom is right, so it has no entry here:
    # heldout89, first run at 034e59a (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run, 13 of 16 under this test,
    # which builds the candidate on meta; twins 16 of 16 clean; swapped 3 of 4). bcnn_dilated_layer4 was expected
    # named (dilated_output_stride) at that run; its expectation was corrected after it for a fact about the model
    # (one unit in layer4: replace_stride_with_dilation dilates no conv), and it misses as described too:
    "cbp_dense_sketch": "under this test only (meta): not_a_residual_network ('The candidate (CBPClassifier) is "
    "another kind of network than the reference (4 stages of [2, 2, 2, 2] BasicBlocks, 8/16/32/64 wide): it has no "
    "residual additions'), 20 mismatches from 'stem: extra 3x3 conv (backbone.layer1.0.conv1) not in the reference' "
    "on, for the count sketch as a dense 64 x 128 buffer applied by matmul and the complex torch.fft.fft / ifft's real "
    "part (4e-16 relative in float64): built on meta the candidate's trunk is not read as a ResNet; the corpus run, "
    "which builds the candidate with its values, compares it clean (expected clean)",
    # heldout90, first run at be326c1 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 6):
    "dirtorch_whiten_conv1x1": "conv_classifier ('1x1 conv classifier (same as a Linear)': 'The classifier (fc) is a "
    "1x1 conv from 64 to 32 channels on the globally pooled 1x1 map, where the reference has Linear(64, 32) after the "
    "pool: the same computation ... Not a difference in outputs'), 1 mismatch at fc, for the whitening as nn.Conv2d(64, "
    "32, kernel_size=(1, 1)) on the pooled map before the squeeze (2e-14 relative in float64): the tool names the "
    "spelling, as heldout77's dla_linear_fc expects it named, where this part expected the same affine map of the "
    "same vector to compare clean (expected clean)",
    "rmac_dilated_layer4": "besides dilated_output_stride (right, with the region grid's constants, which follow "
    "from the map's size since head_at_size.py), a described_difference at pool: 'global pool where the reference "
    "has max pool (head) (x9)', the region pools read as global on one side and max pools on the other even with "
    "the reference traced at the candidate's map size (expected dilated_output_stride alone)",
    "rmac_layer4_stride1": "the described_difference at features.7.0 (the stride, right) and eight more "
    "described_differences at pool: the region grid's constants ('floor scalar None where the reference has 1.0 (4 "
    "places)', 'mul scalar 2.0 ...') and 'global pool where the reference has max pool (head) (x9)', for R-MAC's "
    "regions on the 8 x 8 map after the last stride set to 1 (head_at_size.py claims them for the dilated idiom, not "
    "for this one) (expected described at features.7)",
    # heldout91, first run at 75ca11b (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right in the corpus run and under this test;
    # twins 16 of 16 clean; swapped 5 of 5):
    "amil_conv1d_attention": "a described_difference 'The head is built differently (4 differences, no named "
    "variant)': '1 conv where the reference has Linear (head) (x3); softmax output_shape (1, 1, 4) where the "
    "reference has (1, 4, 1)', for attention_V / attention_U / attention_weights as 1x1 nn.Conv1d over the tiles laid "
    "out as a length (the same Linear at every tile; 6e-17 relative in float64): a 1x1 Conv1d not read as the Linear "
    "it is, nor the softmax over the other layout as the same softmax (expected clean)",
    "macenko_channels_last": "a described_difference 'The stem is built differently (9 differences, no named "
    "variant)' (10 in the corpus run, which builds the candidate with its values): 'Linear where the reference has 1x1 "
    "conv (stem) (x2); mul clamp_max None where the reference has 255.0; mul function mul where the reference has "
    "clamp; ...; div after normalizer is missing', and 'extra gt (normalizer) not in the reference' left unclaimed, for the fixed Macenko layer written "
    "channels-last by matmul with torchstain's Inorm[Inorm > 255] = 255 (1.7e-15 relative in float64): the einsum "
    "over channels and the matmul over a pixel list, and the masked assignment and the clamp, not read as the same "
    "ops (expected clean)",
    "gray_luma_conv": "under this test only (meta): a described_difference 'The stem is built differently (8 "
    "differences, no named variant)': '1x1 conv where the reference has __getitem__ (stem); a multiply by the constant "
    "0.299 missing in the candidate; ...', for the luma 0.299 R + 0.587 G + 0.114 B as F.conv2d with a fixed (1, 3, 1, "
    "1) buffer of the same three coefficients: built on meta the candidate holds no values for the numeric check; the "
    "corpus run, which builds it with its values, compares it clean since 'numeric_sides: a float32 constant read as "
    "written' (expected clean)",
    # heldout92, first run at f52e587 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test;
    # twins 16 of 16 clean; swapped 5 of 5):
    # heldout93, first run at 3f658b5 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test;
    # twins 16 of 16 clean; swapped 5 of 5):
    "fcos_mmdet_conv_modules": "widths ('The channel widths in the head are 0.4/16x', at head.centerness and "
    "head.cls_logits) and two described_difference ('The head is built differently': 'an extra 3x3 conv in the "
    "candidate; 3x3 conv missing in the candidate'; 'The model as a whole is built differently (62 differences)': "
    "'3x3 conv where the reference has relu (x4); norm where the reference has relu (x4); an extra ReLU (x16) ...'), "
    "for mmdetection's spelling of the same FCOS head (ConvModule lists built with conv_bias=True, each level's class "
    "score computed before its box tower runs, clamp(min=0) for F.relu, bbox_pred *= stride in place outside "
    "training; 0 in float64): the head's ops in another order not paired as the same ops (at the first run also "
    "'the candidate's backward fails (clamp kept what it overwrites)', a failure that does not happen, gone since "
    "inplace_backward reads a clamp as keeping its input, and 'mul_ where the reference has mul', gone since an "
    "in-place multiply is the multiply) (expected clean)",
    # heldout94, first run at 8d173d3 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run and under this test;
    # twins 16 of 16 clean; swapped 4 of 5):
    "flow_two_blocks_per_stage": "block_counts (right) with an extra_module_in_blocks 'An extra Sequential in 1 block "
    "(in the reference)' at rgb_stream.layer3.0 (its downsample) and two described_difference, 'Block "
    "rgb_stream.layer3.0 is built differently' (conv stride (1, 1) where the reference has (2, 2); a conv of 9216 "
    "parameters for 4608) and 'The head is built differently' at flow_stream.layer2 ('a copy of rgb_stream.layer2 (the "
    "same layers, weights of its own) run beside it on another input'), for both streams with two BasicBlocks per "
    "stage: the two streams' blocks counted as one chain ('Blocks per stage are [2, 2, 4, 0, 0] in the candidate, [1, "
    "1, 2, 1, 1] in the reference'), so the RGB stream's second layer3 block is paired with the flow stream's first "
    "and what is left over is described (expected block_counts alone)",
    "rgbd_sums_commented_out": "first_stage_downsampling (at layer1.0.conv1 and layer1_d.0.conv1), widths ('The "
    "channel widths in the stem, stage 1 are 2/4x'), an extra_module_in_blocks 'An extra Sequential in the stem' at "
    "layer2.0.downsample and four described_difference ('Blocks joined otherwise': '[3, 0, 0] blocks per stage in the "
    "candidate and [2, 1, 2] in the reference'; the stem with 14 differences at maxpool; the head with 8 at "
    "layer2_d.0.conv1; the model as a whole at maxpool), three mismatches unclaimed (the root's add after layer1_d.0 "
    "missing, a skip over layer3.0 and layer3_d.0 extra, one over layer3.0 missing), for RedNet's fusion sums after "
    "the stems, layer1 and layer2 commented out (the two encoders added once, after layer3): without the adds the "
    "blocks are cut and paired otherwise, the depth encoder's with the RGB encoder's; findings and mismatches in "
    "conv1, layer1_d, layer2_d and layer3_d, which the edit does not touch (expected described at the root, maxpool and "
    "layer1-3)",
    "rgbd_depth_reads_fused": "six repeated_in_blocks at layer2.0 and layer3.0 ('an extra 1x1 conv in the candidate "
    "(main path); an extra BatchNorm in the candidate (main path); an add of two computed tensors (no residual "
    "block's) in the candidate (shortcut); ReLU moved across the add', 'an extra 3x3 conv in the candidate "
    "(shortcut)', ...: layer2_d and layer3_d read as branches of the RGB blocks now that they share their input), an "
    "extra_module_in_blocks 'An extra Sequential in the head (in the reference)' at layer2_d.0.downsample, two "
    "described_difference (the head at layer2_d.0.conv1, the model as a whole at maxpool) and five mismatches "
    "unclaimed, for layer2_d and layer3_d fed the fused maps fuse1 and fuse2: findings at layer2.0, layer3.0 and "
    "maxpool, which the edit does not touch (expected described at the root, layer2_d and layer3_d)",
    "siam_split_fusion_conv": "four described_difference, 25 mismatches ('Blocks joined otherwise': '[0, 2, 1] blocks "
    "per stage in the candidate and [1, 2, 1] in the reference'; 'The stem is built differently (7 differences)' at "
    "trunk.layer1.0.conv1: 'an extra 3x3 conv ... an add of two computed tensors (no residual block's)'; 'Block fuse "
    "is built differently (15 differences)': 'an extra residual add in the candidate (block); __getitem__ where the "
    "reference has cat (main path); an extra 7x7 conv ...'; the head: 'a second run of trunk (the same weights, on "
    "another input than its first run's) missing in the candidate'), for the 1x1 fusion conv over the concatenated "
    "trunk maps written as two bias-free 1x1 convs, one per image, summed before the BN (1e-15 relative in float64): "
    "the sum of the two convs read as a residual add, which cuts the blocks otherwise and pairs the second trunk call "
    "with fuse (expected clean)",
    # heldout95, first run at 24bec78 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 9 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 3 of 6):
    # heldout96, first run at fc62b64 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 5):
    "qat_fq_disabled": "(under this test, which builds the candidate on meta, where the fake-quantize flags have no values; the corpus run, which builds it with values, compares it clean since tracing/fake_quant.py and rescaled_conv.py) parameters_computed_in_forward ('In 13 layers (conv1 ...) the candidate's weights are computed "
    "in forward (add(1e-05)→sqrt→div→mul→fused_moving_avg_obs_fake_quant)', and the fc's), conv_bias_before_bn ('13 "
    "convolutions followed by BatchNorm have bias=True': the QAT ConvBn's zero bias), extra_module_in_blocks ('An "
    "extra Linear in the head'), three repeated_in_blocks (an extra zeros, div and fused_moving_avg_obs_fake_quant in "
    "every block's main path and shortcut, one after the add, 'parameter tensors run a second time') and a "
    "described_difference in the stem, 152 mismatches (4 unclaimed), for the model fused for QAT and prepared by "
    "prepare_qat with observers and fake quantization disabled: the fake-quantize ops read as extra ops although "
    "fake_quant_enabled is 0, the BN scale multiplied into the weight and divided out of the conv output read as a "
    "weight transform (6e-16 relative to the float model in float64; expected clean)",
    "qat_freeze_bn": "(under this test, which builds the candidate on meta, where the fake-quantize flags have no values; the corpus "
    "run, built with values, names the BatchNorms held in eval mode by the QAT modules' train() normalization_layer and "
    "nothing else since patterns/norm_eval.py) the same eight findings as qat_fq_disabled (parameters_computed_in_forward, conv_bias_before_bn, "
    "extra_module_in_blocks, repeated_in_blocks, described_difference; 152 mismatches, 4 unclaimed) for the prepared "
    "model with fake quantization off and freeze_bn_stats applied: the disabled fake-quantize ops and the BN-scale "
    "multiply / divide reported, the BNs that use their running statistics in train mode not named (expected "
    "normalization_layer)",
    "qat_fake_quant_on": "(under this test, which builds the candidate on meta, where the zeros' values are unknown; the "
    "corpus run, which builds it with values, gets it right since tracing/opkinds.py adds_bias) wrong name conv_bias_before_bn ('13 convolutions followed by BatchNorm have bias=True': the "
    "zero bias the QAT ConvBn passes to its conv, torch.zeros(out_channels), read as a conv bias before the BN) beside "
    "parameters_computed_in_forward, extra_module_in_blocks, repeated_in_blocks and a described_difference in the stem "
    "that claim the fake-quantize ops (122 of 152 mismatches claimed correctly, 4 unclaimed; the same findings as with "
    "fake quantization off) for the model as prepare_qat leaves it (expected described throughout, "
    "parameters_computed_in_forward allowed)",
    # heldout97, first run at b4b327c (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 2 of 4):
    # heldout98, first run at 3c237d1 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 5 of 5):
    "shake_stopgrad_detach": "two repeated_in_blocks ('an extra mul ... an add of two computed tensors (no residual "
    "block's) in the candidate (main path), in 3 blocks' and 'the gradient stopped (detach) in the candidate (main "
    "path): the same values, nothing before it learns through it, in 3 blocks') and two described_difference ('The "
    "head is built differently': an extra full (x3) and sub (x6), the blocks' alpha - beta read as head ops; 'The model "
    "as a whole is built differently': full missing in the candidate (x3)), 33 mismatches with 'extra BasicBlock "
    "(training mode only)' among them, for Shake-Shake written without a custom Function as the Keras / TensorFlow ports "
    "write it, x1 * beta + x2 * (1 - beta) + (x1 * (alpha - beta) + x2 * (beta - alpha)).detach(): the same values as "
    "ShakeFunction's x1 * alpha + x2 * (1 - alpha) and the same gradient as its backward (grad * beta, grad * (1 - "
    "beta)), equal to float64 rounding (2e-15) in train and eval mode; the reference's custom backward not set against "
    "the detached term, so the stop-gradient is read as the gradient cut (expected clean)",
    # heldout99, first run at 87100ee (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 7 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 4). Every described idiom of the part, each a difference of the backward pass alone,
    # compared clean: seven false 'no difference'.
    "dann_alpha_negated": "under this test only (meta; the command line builds it with values, and verify/hidden_backward.py's gradient check finds it there), at the first run: no mismatch and no finding (the comparison is clean) for ReverseLayerF.apply(feature, "
    "-alpha) where the builder passes alpha: the same Function on both sides with its coefficient negated, so its "
    "backward's neg() undoes the sign and the domain loss's gradient reaches the backbone unreversed (the forward the "
    "same function; every backbone parameter's gradient and the input's differ, max 8.9 in float64): the Function's "
    "argument, which only its backward reads, not compared (expected described at the root's forward)",
    "dann_backward_without_neg": "under this test only (meta; the command line builds it with values, and verify/hidden_backward.py's gradient check finds it there), at the first run: no mismatch and no finding (the comparison is clean) for a ReverseLayerF of the same "
    "name whose backward returns grad_output * ctx.alpha, the neg() lost: no reversal, the same gradients as the "
    "negated alpha (max difference 8.9 in float64), the same forward: the two Functions' backward passes not compared "
    "(expected described at the root's forward)",
    "simsiam_detach_before_predictor": "under this test only (meta; the command line builds it with values, and verify/hidden_backward.py's gradient check finds it there), at the first run: no mismatch and no finding (the comparison is clean) for z1, z2 = z1.detach(), "
    "z2.detach() written before the predictor reads them: the same four outputs, but no gradient reaches the encoder "
    "at all (34 parameters' gradients None where the builder's are not): the cut moved from the returned targets onto "
    "the predictor's input not seen (expected described at the root's forward)",
    "muzero_hook_on_hidden_state": "under this test only (meta; the command line builds it with values, and verify/hidden_backward.py's gradient check finds it there), at the first run: no mismatch and no finding (the comparison is clean) for the hook grad * 0.5 "
    "registered on the hidden state the recurrent step returns instead of on the dynamics input: the same forward, "
    "the dynamics network's parameters get half their gradient (max difference 49.9 in float64): tensor hooks "
    "registered in forward not compared (expected described at the root's forward or dynamics_network)",
    "muzero_hook_floor_division": "under this test only (meta; the command line builds it with values, and verify/hidden_backward.py's gradient check finds it there), at the first run: no mismatch and no finding (the comparison is clean) for the dynamics-input hook "
    "grad * (1 // 2), a multiply by the integer 0 where the builder's is grad * 0.5: no gradient enters the dynamics "
    "from its hidden-state input, the representation learns from the first prediction alone (max difference 56.3 "
    "in float64, the input's gradient 7.6), the same forward: tensor hooks not compared (expected described at the "
    "root's forward, dynamics_network or representation_network)",
    "ckpt_stem_reentrant": "under this test only (meta; the command line builds it with values, and verify/hidden_backward.py's gradient check finds it there), at the first run: no mismatch and no finding (the comparison is clean) for the stem run as checkpoint(..., "
    "use_reentrant=True) where the builder's is use_reentrant=False: the image needs no gradient, so the reentrant "
    "checkpoint's output needs none and the stem's conv and BN get no gradient (3 parameters' gradients None) and "
    "are not recomputed (their running statistics move once, not twice); the same forward, and nothing differs "
    "with an input that requires a gradient (expected described at the root's forward and the stem)",
    "ckpt_disabled": "no mismatch and no finding (the comparison is clean) for use_checkpointing=False where the "
    "builder checkpoints its stem and stages while training: the same forward and the same gradients, but no "
    "segment is recomputed in backward, so every BatchNorm's running statistics move once per training step where "
    "the builder's move twice (max difference 2.85 after one step; pytorch/pytorch#96136) (expected described at the "
    "root's forward, the stem and the stages)",
    # heldout100, first run at d046b67 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 5 of 5). One false 'no difference': repd_preact_inplace_relu.
    "pyramid_slice_add_last": "repeated_in_blocks right in all 6 blocks ('an extra __getitem__ in the candidate (main "
    "path); cat missing in the candidate (shortcut)', line 171), but two described_difference findings outside the "
    "blocks for layers both sides share: 'Block layer3.1 is built differently' (BatchNorm and ReLU missing in the "
    "candidate after the add: the reference's bn_final and relu_final) and 'The head is built differently' (an extra "
    "BatchNorm and ReLU in the candidate's head: the same bn_final and relu_final), 4 of 16 mismatches at bn_final / "
    "relu_final, for PyramidNet's shortcut added into the last channels (out[:, residual_channel - shortcut_channel:] "
    "+= shortcut) where the builder pads zeros after it (the slice add into the first channels compares clean) "
    "(expected described at layer?.? alone)",
    "fasternet_slicing_no_clone": "the aliasing is seen ('the candidate's in-place setitem (stages.0.blocks.0."
    "spatial_mixing) overwrites the block's input, which the residual add also reads: its skip adds setitem(x), not "
    "x', left unclaimed at stages.0.blocks.0 and stages.4.blocks.0 only), but the rewritten skip regroups the "
    "candidate's blocks ([1, 2, 1, 5] per stage for [1, 1, 2, 1]) and the rest is misaligned: 'Blocks joined "
    "otherwise' (described_difference), 'A downsampling layer between stages (3)' for the reference's PatchMerging "
    "stages.1 / 3 / 5 the candidate has too, 'An extra layer between blocks (3)', 'An extra Partial_conv3 in 4 blocks "
    "(in the reference)' (extra_module_in_blocks x3), 'The stem is built differently' and 'Block stages.4.blocks.0 is "
    "built differently (7 differences)' (described_difference), 39 mismatches, unlocated at (reference) stages.1 / 3 / "
    "5, stages, stages.3.norm, stages.3.reduction, for FasterNet's eval-mode forward_slicing without its clone() (each "
    "block adds its mixed map, not its input: eval outputs 130.6 apart, training through split_cat the same) "
    "(expected described at stages.?.blocks.?)",
    # heldout101, first run at 0e213c1 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 7 of 16 right in the corpus run, 6 of 16 under this test;
    # twins 13 of 16 clean; swapped 2 of 4). Three false 'no difference': actnorm_flag_attribute,
    # scratch_bn_biased_moving_var, noisy_resample_each_forward.
    "actnorm_mean_std_dims": "under this test only (meta; the command line builds it with values and compares it "
    "clean): described_difference 'The model as a whole is built differently (9 differences, no named variant)': "
    "'mean dims (0, 2, 3) where the reference has (1,) (model) (x9)', for ActNorm's first-batch statistics taken by "
    "torch.mean / torch.std over dims [0, 2, 3] of the map where the builder's are taken over a permuted (C, -1) view "
    "(the same loc and scale up to summation order: 3.6e-16 on outputs, 1.5e-15 on gradients, two training calls and "
    "eval) (expected clean)",
    "actnorm_flag_attribute": "no mismatch and no finding (the comparison is clean) for ActNorm's `initialized` flag "
    "kept as a plain Python attribute where the builder registers it as a uint8 buffer: the flag is not in the state "
    "dict, so a model given the builder's weights (load_state_dict, or every tensor copied by position) re-initialises "
    "every ActNorm from its first batch and overwrites the loaded loc and scale (1.5e4 off on outputs with the weights "
    "copied and the builder's flags set; bayesiains/nflows#4, rosinality/glow-pytorch#6); fresh models agree on "
    "every call: the state a forward reads that a checkpoint does not carry not compared (expected described at the "
    "ActNorms or the model as a whole)",
    "scratch_bn_keras_defaults": "described_difference ('weights computed otherwise in forward': 'In 9 layers (bn1 "
    "...) the candidate's weights are computed in forward (add(0.001)→sqrt); the reference's are computed in forward "
    "(add(1e-05)→sqrt)'), 9 mismatches, the momentum 0.01 not mentioned, for the user's scratch BatchNorm built with "
    "eps=1e-3 and momentum=0.01 (expected keras_batchnorm)",
    "scratch_bn_biased_moving_var": "(under this test, which builds the candidate on meta, where no training forward can be run by the numbers; the corpus run, which builds it with values, finds it since verify/hidden_training.py) no mismatch and no finding (the comparison is clean) for the scratch BatchNorm's "
    "moving variance updated with the biased batch variance (d2l's ((X - mean) ** 2).mean(...)) where the builder "
    "takes the unbiased one as torch does: training outputs and gradients the same, the moving variance 0.07 off "
    "after two steps, eval outputs after training 0.64 off: the statistic a training forward writes compared by its "
    "presence, not by its value (expected described at the norms)",
    "noisy_no_eval_branch": "parameters_computed_in_forward ('In 3 layers (fc ...) the candidate's weights are "
    "computed in forward (mul→add); the reference's are used as stored', a name the judge does not count as a "
    "description) beside a described_difference at the head ('linear with 262272 parameters where the reference's "
    "has 131136' and the same for value and advantage), 6 mismatches, for NoisyLinear.forward without its eval "
    "branch (mu + sigma * epsilon in eval too: eval Q-values 0.35 off, training the same): the place right, the "
    "name parameters_computed_in_forward not one the corpus accepts (expected described at fc, value, advantage)",
    "noisy_resample_each_forward": "(under this test, which builds the candidate on meta, where no training forward can be run by the numbers; the corpus run, which builds it with values, finds it since verify/hidden_training.py) no mismatch and no finding (the comparison is clean) for NoisyLinear.forward "
    "calling reset_noise() in training mode where the builder draws once in __init__ and keeps the noise in its "
    "buffers until the training loop asks: a fresh draw per call, so two training calls on the same frames differ "
    "(0.21) where the builder's agree exactly: the draws compared by distribution, not by when they are made "
    "(expected described at fc, value, advantage)",
    # heldout102, first run at a418095 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 3 of 4). One false 'no difference': distil_train_heads_swapped.
    "tta_batched_views": "two described_difference ('A training-mode branch only in the candidate', 'The head is "
    "built differently (8 differences)': the reference's second run of conv1, bn1, relu, layer1 .. layer3, avgpool and "
    "fc on the flipped view missing in the candidate) with an unclaimed shared_params mismatch (bn1 'one module object "
    "used twice' in the reference), 10 mismatches, for flip TTA written as one pass over torch.cat([x, x.flip(3)]) "
    "split in halves and averaged where the builder runs the network twice: in eval mode every BN normalises each "
    "sample by its running statistics, so the batched views are the same function (0 in float64, both modes); the "
    "network run again on a flipped input is read as one op, the batched run is not (expected clean)",
    "mcdrop_bernoulli_mask": "dropout ('Dropout missing in the candidate') and two described_difference ('The head is "
    "built differently (16 differences)': an extra bernoulli_, div_, mul (x4), an extra Linear (x3) and mean; 'The "
    "model as a whole is built differently': an extra empty_like (x4)), 24 mismatches, for the MC dropout written by "
    "hand (noise = torch.empty_like(feat).bernoulli_(0.75); noise.div_(0.75); feat * noise) where the builder calls "
    "F.dropout(feat, 0.25, training=True): the same mask from the same generator scaled in the same order (0 in "
    "float64, both modes); a hand-drawn Bernoulli mask not read as the dropout it is, and the MC passes in eval then "
    "not paired (expected clean)",
    "distil_train_heads_swapped": "(under this test, which builds the candidate on meta, where no training forward can be run by the numbers; the corpus run, which builds it with values, finds it since verify/hidden_training.py) no mismatch and no finding (the comparison is clean) for the training branch "
    "returning (x_dist, x_cls) where the builder returns (x_cls, x_dist): a loss that reads the first output as the "
    "class logits trains the distillation head on the labels and the class head on the teacher (the first output max "
    "4.8 apart in float64, the gradients of a weighting of both outputs up to 21.3); the eval-mode average is the "
    "same. The order of a tuple returned in training mode not compared (expected described at the root's forward, fc "
    "and fc_dist)",
    # heldout103, first run at 5c8ecf4 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 5). Both batch-of-one edits compared clean: two false 'no difference'.
    "autopad_same_conv": "tf_same_padding claims the four stride-2 convs and the stem conv, but 'stem: extra pad (pad) "
    "not in the reference' at the root is left unclaimed: the builder's pad to a multiple of 32 is merged into its stem "
    "conv's padding ('3x3 conv padding is (0, 1, 0, 1), expected (1, 25, 1, 25)') while the candidate's same pad stays "
    "a separate op before the Conv2dSame's own pad; for every 3x3 conv a timm-style Conv2dSame on the padded map "
    "(expected tf_same_padding alone)",
    "autopad_full_stride_pad": "(since patterns/padding.py _keras_like no name is given: the stem conv's padding (1, 33, 1, 33) and its output shape are said at stem.0, where the pad is folded, not at the root's forward, where it is written; first run:) wrong name keras_stem ('the candidate's 3x3 conv sees padding (top 1, bottom 33, left "
    "1, right 33) (TensorFlow's padding='same', extra pixel at the bottom / right) where the reference's sees 1', "
    "claiming the stem conv's padding and output shape at stem.0) and 'head: extra __getitem__' at the root unclaimed, "
    "for the pad to a multiple of 32 written 32 - H % 32 without its outer % 32: at 64 px the root's F.pad adds 32 rows "
    "and columns of zeros where the builder's adds none, read as the stem conv's own padding (outputs differ by 8.0e3 "
    "in float64) (expected described at the root's forward)",
    # heldout104, first run at 7563d94 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run, 11 of 16 under this test;
    # twins 16 of 16 clean; swapped 3 of 5). One false 'no difference' in both (siam_views_one_batch), one more under
    # this test only (tied_data_detached).
    "drrn_b1u4": "no finding, one mismatch left unclaimed ('block: the skip over blocks block, block ... block (a "
    "residual add around them) is extra in the candidate', at block), for four residual units for three, each "
    "running the one shared pair of convs and adding h0 back (DRRN's U; the parameters the same, eval outputs 1.4e3 "
    "apart in float64): the extra unit read as a longer skip over the block, not as another unit (expected "
    "block_counts)",
    "drrn_no_local_residual": "wrong names repeated_in_blocks ('residual add missing in the candidate (block), in 2 "
    "blocks') and three described_difference ('The stem is built differently': ReLU and 3x3 conv block.entry missing; "
    "'Block block is built differently (13 differences)': the unit's convs and ReLUs extra, 'ReLU moved across the "
    "add'; 'The head is built differently': the exit conv and the global add missing), 19 mismatches, for DRCN's "
    "recursion (every unit's output fed to the next without h0 added, the global + x kept): with the local adds "
    "gone the candidate's chain is aligned against the reference's units and stem / head shifted (expected "
    "residual_add_missing)",
    "siam_tower_two_names": "wrong name described_difference ('The head is built differently (2 differences)': 'head: "
    "extra global pool (tower_a.avgpool) not in the reference' and 'head: global pool after __getitem__ is missing in "
    "the candidate'), 2 mismatches, for the one tower registered under two names (self.tower_a = tower; self.tower_b "
    "= tower), a view through each: the same module object, the same ops and parameters (0 in float64, both modes); "
    "the second view's global pool, traced under the first name, is paired with nothing (expected clean)",
    "siam_views_one_batch": "no mismatch and no finding (the comparison is clean; also in the corpus run, which builds "
    "the candidate with values) for the two views concatenated along the batch and the tower called once, "
    "self.tower(torch.cat((x1, x2), 0)).chunk(2), where the builder calls it per view: the same in eval mode, but in "
    "training every BatchNorm normalises over both views (train outputs 0.15 apart in float64, input gradients 0.044, "
    "running statistics 0.41 after one step); a false 'no difference' (expected described at the root's forward and "
    "the tower)",
    "tied_data_detached": "(under this test, which builds the candidate on meta, where no backward can be run by the "
    "numbers; the corpus run, which builds it with values, finds it: described_difference 'Only the backward differs', "
    "enc1.weight and enc2.weight) no mismatch and no finding (the comparison is clean) for the decoder reading "
    "self.enc2.weight.data / self.enc1.weight.data: the same forward, the decoder's use of the shared kernels cut "
    "from the graph (the encoder kernels' gradients 42 apart in float64) (expected described at the root's forward "
    "and the encoder convs)",
    # heldout105, first run at 05bc73a (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 3 of 5). One named idiom compared clean: cam_linear_classifier.
    # heldout106, first run at fc692c3 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run, which builds each model
    # with its values, 11 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of
    # 5). One false 'no difference' in both: handgn_eps_outside_sqrt; under this test normeps_bgr_constants too.
    "normeps_scaled_255_constants": "under this test only (meta): one unclaimed mismatch ('stem: extra mul (normalize) "
    "not in the reference'), for the input scaled by 255 and normalised with the 0-255 constants (125.307 ... / "
    "63.0105 ...): without values the constants cannot be compared and the extra multiply stays; the corpus run, which "
    "builds the candidate with its values, compares it clean by the numbers (2.2e-15 in float64) (expected clean)",
    "normeps_bgr_constants": "under this test only (meta): no mismatch and no finding (the comparison is clean) for the "
    "mean / std buffers in the reverse channel order: on meta the buffers have no values to compare; the corpus run, "
    "which builds the candidate with its values, describes it at normalize ('the sub computes with normalize.mean = "
    "(0.4465, 0.4822, 0.4914) where the reference's computes with (0.4914, 0.4822, 0.4465)') (expected described at "
    "normalize)",
    # heldout107, first run at f063910 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 16 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5):
    # no miss. The three described idioms whose forward is unchanged or nearly so were found: the recording hook's
    # return output.detach() ('the candidate cuts the gradient here (detach)' at layer1), layer3's smooth ReLU ('ReLU
    # custom_backward is straight-through', one described_difference) and the layer2 hook's output * 0.5 ('extra mul
    # (layer2)'); the detach, the mul and the channel-reversing pre-hook's 'extra __getitem__' at the root are each
    # one mismatch no finding claims, located where expected.
    # heldout108, first run at 3b763fc (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test; twins
    # 16 of 16 clean; swapped 4 of 5). One false 'no difference' in both: tower_sorted_keys.
    # heldout109, first run at 8c1499f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run, which builds each model
    # with its values, 11 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 3 of
    # 5). One false 'no difference' in both: amp_bf16_autocast_stage (a difference in float32 only).
    "gray_one_channel_stem": "described_difference only ('The stem is built differently (4 differences, no named "
    "variant)': repeat missing in the candidate, the sub with mean (0.449) for (0.485, 0.456, 0.406), the div with std "
    "(0.226) for (0.229, 0.224, 0.225), conv with 144 parameters where the reference's has 432; under this test, on "
    "meta, the repeat and the conv alone), input_channels not reported, for the grayscale image fed to a one-channel "
    "stem conv with no x.repeat(1, 3, 1, 1), where the builder's 3x3 stem conv takes the three repeated channels "
    "(expected input_channels, the rest described at the root's forward and conv1)",
    # heldout110, first run at d4db288 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference': the two
    # BatchNorm settings that change only the running statistics (momentum=0.01) or only eval
    # (track_running_stats=False) were both seen.
    # heldout111, first run at 4424ec2 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 4 of 4).
    # No false 'no difference'. The one miss is a refactor reported as a difference.
    # heldout113, first run at 988ec74 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 4 of 5).
    # No false 'no difference'. The one miss is a named variant said with an extra name.
    # heldout112, first run at 736abf2 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 1 of 2).
    # No false 'no difference': every slip that keeps the modules and parameters was seen.
    # heldout115, first run at 6932175 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 4 of 5).
    # No false 'no difference': every mistake, the eval-only track_running_stats among them, was seen where it is. Two
    # misses are refactors reported as differences, one a named variant lost in a misread reference.
    "bin_explicit_mix": "normalization_layer twice ('BatchNorm with track_running_stats=True: 15 of the reference's 30 "
    "BatchNorm layers have track_running_stats=True in the candidate (bn1 ...), track_running_stats=False in the "
    "reference'; 'MixedBIN in place of BatchNorm: 15 of the reference's 30 BatchNorm layers are MixedBIN in the "
    "candidate'), parameters_computed_in_forward ('the reference's [weights] are computed in forward (__rsub__->mul)') "
    "and described_difference ('Layers run at other places (15 places) ... layer1.0, layer1.1, layer2.0 ... layer3.1 "
    "run more than once'), 120 mismatches at all 15 norms, for Batch-Instance Normalization written as the paper's "
    "formula, F.batch_norm and F.instance_norm without affine, rho * x_bn + (1 - rho) * x_in, then * gamma + beta, "
    "where the builder folds the gate into the two branches' weights and takes the IN branch as a statistics-free "
    "F.batch_norm of a (1, b * c, h, w) view: the same function (2.0e-15 apart in float64 on eval outputs of 3.9, "
    "gradients 5.2e-15, running statistics 3.3e-16) (expected clean)",
    "bin_plain_bn": "parameters_computed_in_forward, block_counts ('Blocks per stage are [2, 2, 2] in the candidate, "
    "[11, 10, 10] in the reference'), extra_module_in_blocks three times ('A missing layer between blocks (14)', 'An "
    "extra Conv2d in 6 blocks', 'An extra BatchNorm2d in 2 blocks'), repeated_in_blocks six times ('residual add "
    "missing in the candidate (block), in 6 blocks', 'ReLU where the reference has mul_', 'BatchNorm moved across the "
    "add' ...) and described_difference four times ('batch_norm track_running_stats True where the reference has "
    "False (6 places)', the stem's 'extra BatchNorm ... extra ReLU'), normalization_layer not reported, two "
    "mismatches at layer2.0.bn1 / layer3.0.bn1 unclaimed and one at the root (the stem's F.relu) outside the norms: "
    "each BIN's out_bn + out_in read as a residual add, so the reference's stages hold 11 / 10 / 10 'blocks' and "
    "every plain BatchNorm2d is aligned against the wrong ops, for norm_layer=nn.BatchNorm2d where the builder has "
    "BatchInstanceNorm2d everywhere (eval outputs 18 apart on 3.9, training 0.25 on 2.6 at batch 4 and identical at "
    "batch 1, gradients 0.22) (expected normalization_layer, described at bn1 and layer1-3)",
    # heldout116, first run at 0514e52 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right in the corpus run, which builds each model
    # with its values, 10 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 4 of
    # 4). Three false 'no difference' in both: coord_unit_range, coord_xy_swapped (constants made in forward by
    # torch.linspace / torch.meshgrid whose range or order changed) and sobel_left_trainable (a fixed filter left
    # trainable: the same forward, another set of trained parameters).
    "sobel_buffer_kernel": "under this test only (meta): one unclaimed mismatch ('stem: 3x3 conv has 0 parameters, "
    "expected 18', at sobel) for the Sobel kernels a registered buffer applied by F.conv2d(grey, kernel, padding=1) "
    "where the builder's are the weight of an nn.Conv2d frozen by nn.Parameter(kernels, requires_grad=False): nothing "
    "trainable added or lost, the same function (0 in float64); the corpus run, which builds the candidate with its "
    "values, compares it clean by the numbers (its note: '1 difference in how the model is written, and it computes "
    "the same function') (expected clean)",
    "sobel_left_trainable": "no mismatch and no finding, only a note since verify/frozen_note.py ('the reference "
    "freezes 1 parameter tensor (18 values, requires_grad=False) where the candidate freezes 0: sobel.weight'; before "
    "it the comparison was clean with no note) for the Sobel kernels "
    "assigned as nn.Parameter(kernels) with requires_grad left True where the builder freezes them "
    "(requires_grad=False): the same outputs at the same weights, but the filter gets a gradient (0.89 in float64 "
    "where the builder's has none) and moves with the optimiser (eval outputs 0.66 apart on 30 after one SGD step at "
    "lr 0.1); a false 'no difference' (expected described at sobel)",
    "sobel_forward_differences": "described_difference ('In the stem ...: __getitem__ where the reference has 3x3 conv "
    "(stem); an extra __getitem__ in the candidate (stem) (x3); an extra sub ... (x2); an extra pad ... (x2); an extra "
    "cat in the candidate (stem)'), 9 mismatches, 8 at sobel and the extra cat at the root's forward (candidate path "
    "''), for the gradient channels as zero-padded forward differences joined by a torch.cat inside the sobel module "
    "where the builder's frozen 3x3 Sobel conv makes both at once (eval outputs 8.4 apart on 30 in float64, training "
    "0.51 on 3.3): the candidate's two cats (the module's and the root's torch.cat((x, edges), 1)) against the "
    "reference's one, the root's read as the extra one, so the description is right but one of its mismatches sits "
    "outside the module (expected described at sobel)",
    # heldout120, first run at 76ad9b8 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5).
    # Two false 'no difference': torch's fuse_conv_bn_eval and the builder's requires_grad_(False) on the BN affines
    # leave parameters without gradient that the builder trains, the forward unchanged; neither is seen. The third miss
    # is a refactor whose patched-out BNs' tensors are reported unused. The BNs at momentum 0.0, the shift dropped from
    # the fold, the missing padding and both kinds of shared blocks were found where they are.
    "fold_forward_patched": "one mismatch no finding claims, at the model ('30 parameter tensors (1,120 values) never "
    "used in forward: bn1.weight, bn1.bias, layer1.0.bn1.weight, layer1.0.bn1.bias ...', candidate path bn1.weight), "
    "for each conv folded in place (its weight scaled, a bias parameter given to it) and each BN's forward replaced by "
    "lambda x: x, rm_bn_from_net's way: the BNs stay with tensors nothing reads, the function the builder's (0 in "
    "float64 with the values copied by name: outputs in both modes, gradients, the eval output after an SGD step) "
    "(expected clean)",
    "fold_torch_fuse": "no mismatch and no finding, only a note since verify/frozen_note.py ('the candidate freezes 15 "
    "parameter tensors (560 values, requires_grad=False) where the reference freezes 0: conv1.bias ...'; its first run "
    "said nothing, a false 'no difference'), for torch.nn.utils.fusion."
    "fuse_conv_bn_eval in place of the builder's hand fold: the same forward (0 in float64 in both modes), but "
    "fuse_conv_bn_weights makes the bias of a bias-free conv from torch.zeros_like(running_mean) and wraps it as "
    "nn.Parameter(b, conv_b.requires_grad), so the 15 folded biases do not require grad: no gradient where the "
    "builder's get up to 1.4, and they never learn (expected described at the convs, or as a whole-model training "
    "difference)",
    "frozen_affine_eval": "no mismatch and no finding, only a note since verify/frozen_note.py ('the candidate freezes "
    "30 parameter tensors (1,120 values, requires_grad=False) where the reference freezes 0'; its first run said "
    "nothing, a false 'no difference'), for a builder loop of m.eval() and "
    "requires_grad_(False) on every BN's weight and bias: model.train() undoes the eval, the frozen affine stays, so "
    "the 30 affine tensors of the 15 BNs get no gradient where the builder's get up to 1.4 (after train() outputs 0 "
    "in float64 in both modes and BN statistics identical; eval outputs 1.4 apart after one SGD step; as built, "
    "before any train() call, the BNs in eval: outputs 4.9 apart) (expected described at the root and the BNs, or as a "
    "whole-model training difference; normalization_layer allowed)",
    # heldout118, first run at 70f56cb (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5).
    # No false 'no difference': the detached identity (the same forward, other gradients) was seen in the blocks, the
    # skip scaled alone, the exchanged gate, the add before the last BN and the pooled identity were found where they
    # are. One miss is a refactor reported as differences, one a mistake claimed by a family verdict.
    "scaled_dense_concat": "described_difference ('The residual adds cut the network into [1, 1, 2] blocks per stage "
    "in the candidate and [2, 2, 2] in the reference ...'), extra_module_in_blocks (layer2.0), widths ('0.5x') and "
    "repeated_in_blocks (residual add missing, an extra cat, a stride moved), for the last block of layer1 and layer2 "
    "joined by torch.cat([out, skip], 1) where the builder adds: the concatenations cut the stages otherwise and the "
    "widths that follow are read as narrower stages (the first run named cifar_resnet_family, a verdict claiming all "
    "20 mismatches, swapped) (expected described at layer1, layer2 and layer3.0)",
    # heldout122, first run at 0624c75 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 4 of 5).
    # No false 'no difference': Flax's momentum left at 0.9 (the same forward, other running statistics) was said at
    # the BNs, and the five refactors (NHWC end to end, momentum=1 - momentum, torchvision-style names, padding=k // 2
    # for fixed_padding, BatchNorm + Scale merged) compared clean. The misses: a 'SAME' pad that is PyTorch's padding
    # described and not named, an unpermuted BN in the NHWC port that made the tool lose the NHWC pads it reads
    # elsewhere, and a Scale without its shift read as an affine-free BatchNorm.
    "flax_nhwc_bn_unpermuted": "the forgotten permute found (described_difference: 'blocks.0.bn1 of the candidate "
    "normalize each position along canonical axis 2 (their input is channels-last there ...): another "
    "normalization'), but with it tf_same_padding ('3 stride-2 convs (blocks.2.conv1, blocks.4.conv1, pool) see "
    "padding 0 in the candidate'), four repeated_in_blocks ('an extra pad in the candidate (main path)', 'conv padding "
    "(0, 0) where the reference has (1, 1)', in 2 to 6 blocks) and two more described_difference (the stem's 'extra "
    "pad ... conv padding (0, 0)', 'batch norm arrangement permute(0, 2, 3, 1) ... relu arrangement'), 33 mismatches "
    "in every block and the stem: with one BatchNorm2d(16) run on the 16 x 16 x 16 NHWC map the tool no longer reads "
    "the NHWC F.pad + conv as the builder's padded convs (flax_nhwc_wrapped, the same port with every permute, "
    "compares clean), for blocks.0.bn1 normalising over rows (eval outputs 0.41 apart on 5.7, training 0.57 on 2.1) "
    "(expected described at blocks.0)",
    "caffe_scale_no_bias": "normalization_layer ('22 of the reference's 22 BatchNorm layers have affine=False in the "
    "candidate ..., affine=True in the reference'), extra_module_in_blocks ('a Scale (scale2a: mul) ... on the main "
    "path in 6 blocks') and repeated_in_blocks ('a multiply by a learned 32-value parameter (res2.0.branch1.2.weight) "
    "... in 3 blocks'), 66 mismatches, the 44 at the BatchNorms (bn_conv1, res*.bn2a-c, branch1.1) outside the Scales, "
    "for the Scale layers built without their shift (Caffe's bias_term false) where the builder's BatchNorm + Scale "
    "pairs keep it: the reference's pairs read as affine BatchNorms and the candidate's as affine-free BatchNorms with "
    "an extra multiply, so a lost per-channel shift is named another normalization (eval outputs 1.1 apart on 2.0, "
    "training 1.0 on 2.1) (expected described at the Scale layers)",
    # heldout123, first run at 7a35b3c (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5).
    # No false 'no difference': momentum None and track_running_stats off with the buffers kept (the same outputs,
    # other running statistics) were both seen at the BNs, the misspelt stride assignment was described in layer4, the
    # functional ReLU lost by children()[:-2] was said at the stem, the dotted-name setattr read as the stem's bn1 alone,
    # and the four other refactors (the stem replaced by assignment, the unread block stride, the loop rebinding its
    # variable, the children()[:-2] cut) compared clean. One miss is a false difference: an fx graph edited without
    # recompile read as the edited graph where the module runs its traced code.
    "norm_untracked_only": "normalization_layer ('BatchNorm with track_running_stats=False: 15 of the reference's 15 "
    "BatchNorm layers have track_running_stats=False in the candidate ... running statistics kept but never updated: "
    "training normalizes with each batch's own statistics and leaves the stored ones as they were'), claiming the 15 "
    "mismatches at the BNs, for m.track_running_stats = False set after building without running_mean = None: the "
    "explanation and places right, but the layers are the same BatchNorms computing the same outputs in both modes "
    "(0 apart in float64, gradients identical), only their running statistics no longer updated (0.39 apart after "
    "one training forward, eval outputs then 0.64 apart on 3.2), which no normalization variant names (expected "
    "described at the BNs)",
    # heldout125, first run at 1b56b51 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run, which builds each model
    # with its values, 9 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of
    # 5). One false 'no difference' in both: kept positions read one-based (each kept channel scattered one place
    # later; eval outputs 1.3 apart). A filter mask moved from conv1's weight to bn1's output is reported exactly as the
    # same mask moved to conv1's output (a refactor that compares clean with values), so the BN between them is not
    # seen; an unmasked shortcut conv is named a weight transform.
    "tp_mask_after_bn": "parameters_computed_in_forward ('In 6 layers (layer1.0.conv1 ...) the candidate's weights are "
    "used as stored; the reference's are computed in forward (mul) ... the function does not') and repeated_in_blocks "
    "('a multiply by a constant 16-value buffer (layer1.0.keep1) in the candidate (main path), in 6 blocks'), 12 "
    "mismatches, the same two findings, word for word, as tp_mask_on_output gets under this test, for each conv1's "
    "channel mask multiplied on bn1's output instead of on conv1's filters: the multiply's place after the BatchNorm "
    "is not said, and the masked channels read as a weight transform missing (eval outputs 0.29 apart on 3.4, "
    "training 0.016 on 3.1, running statistics 0.26) (expected described at layer?.?)",
    "tp_shortcut_unmasked": "parameters_computed_in_forward ('In 2 layers (layer2.0.shortcut.0 ...) the candidate's "
    "weights are used as stored; the reference's are computed in forward (mul)'), claiming both mismatches, for the "
    "shortcut convs of layer2.0 and layer3.0 left out of torch.nn.utils.prune while their conv2 keeps the stage mask: "
    "the place right, but a mask left off is named a weight transform where it is a pruning step skipped on the "
    "shortcut (eval outputs 0.69 apart on 3.4, training 0.12) (expected described at layer2.0 and layer3.0)",
    "thinet_identity_masks": "under this test only (meta): parameters_computed_in_forward ('In 22 layers (conv1 ...) "
    "the candidate's weights are computed in forward (mul); the reference's are used as stored ... the function does "
    "not'), 22 mismatches, for every conv under prune.identity: all-ones weight_mask buffers hold no values on meta "
    "(the corpus run, which builds it with values, compares clean; 0 in float64, gradients included) (expected clean)",
    "scatter_index_copy": "under this test only (meta): repeated_in_blocks twice ('index_copy function index_copy where "
    "the reference has setitem (main path), in 4 blocks'; '__getitem__ missing in the candidate (main path), in 3 "
    "blocks'), 8 mismatches, for the per-sample scatter as one zeros_like(shortcut).index_copy(1, kept, out) on a "
    "non-persistent index buffer (the corpus run compares clean; 0 in float64) (expected clean)",
    "scatter_index_add": "under this test only (meta): not_a_residual_network ('The candidate (IndexAddResNet) is "
    "another kind of network than the reference ...: it has no residual additions'), claiming 20 mismatches, for "
    "shortcut.index_add(1, kept, out): the residual added over the kept-channel index is not read as an add on meta "
    "(the corpus run compares clean; 0 in float64) (expected clean)",
    "tp_mask_on_output": "under this test only (meta): parameters_computed_in_forward ('In 6 layers (layer1.0.conv1 "
    "...) the candidate's weights are used as stored; the reference's are computed in forward (mul)') and "
    "repeated_in_blocks ('a multiply by a constant 16-value buffer (layer1.0.keep1) in the candidate (main path), in 6 "
    "blocks'), 12 mismatches, for each conv1's filter mask as a 0/1 multiply of its output before bn1: on meta the "
    "masks hold no values to match the two multiplies (the corpus run compares clean; 0 in float64, gradients "
    "included) (expected clean)",
    # heldout126, first run at 2c9b1d9 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run, which builds each model
    # with its values, 10 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean in the corpus
    # run, 13 of 16 under this test; swapped 4 of 4, 3 of 4 under this test). One false 'no difference': BYOL's target
    # left trainable and outside no_grad (the same outputs and statistics, gradients reaching 42 target tensors and the
    # input) gave no mismatch, only the frozen-tensor note. The other misses: a 3x3 stem left at stride 2 named the
    # CIFAR stem, MoCo's shuffling BN removed (a refactor) read as many differences, one widened head Linear of MoCo
    # left unclaimed by widths, and under meta a detach for the builder's no_grad and MoCo's queue updates.
    "moco_shuffle_removed": "described_difference three times ('The residual adds cut the network into [1, 1, 1, 5] "
    "blocks per stage in the candidate and [1, 1, 1, 1] in the reference', 'The head is built differently (8 "
    "differences ...): an extra 3x3 conv ...; randperm missing in the candidate; argsort missing ...; a copy of "
    "encoder_q ... run beside it on another input missing in the candidate', 'The model as a whole is built "
    "differently (3 differences ...)') and extra_module_in_blocks ('1 Sequential (encoder_q.net.9: Linear, ReLU, "
    "Linear) ... that the reference lacks'), 18 mismatches (19 under this test, with MoCo's queue writes said missing "
    "in the candidate), for MoCo's key encoder run on the batch in order where the builder permutes it by "
    "torch.randperm and restores it by argsort: without the permutation the key encoder is no longer paired with the "
    "builder's and its layers are read as extra blocks; one process, the same statistics (train outputs 1.3e-15 apart "
    "on 3.5, gradients 1.6e-14, statistics and queue 1.8e-15) (expected clean)",
    "moco_wide_2x": "widths ('The channel widths in the whole network are 2x the reference's') claiming 30 of 31 "
    "mismatches, one left unclaimed at encoder_q.net.9.0 ('head: Linear out_features is 256, expected 128': the MLP "
    "head's hidden Linear(dim_mlp, dim_mlp), whose width follows the encoder's); under this test also a "
    "described_difference for MoCo's queue writes ('the reference's MoCo writes queue, queue_ptr in every training "
    "forward; the candidate's layers never write theirs'), as its twin, for every stage twice as wide (eval outputs "
    "5.8 apart on 3.6) (expected widths)",
    # heldout127, first run at 8207a40 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 16 of 16 right in the corpus run, which builds each model
    # with its values, 14 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 4 of
    # 4). No false 'no difference': every single edit that only changes which elements are picked or where they go
    # (a shuffle's groups swapped, a concatenation order, a roll's direction, a zero-filled shift, a plain
    # pixel_unshuffle, the odd pixels of option A) was found and located. The two misses are refactors whose index
    # buffer, made in __init__, holds no values on meta.
    "shuffle_index_select": "under this test only (meta): repeated_in_blocks ('an extra index_select in the candidate "
    "(main path), in 5 blocks (layer1.1, layer2.0, layer2.1, layer3.0, layer3.1)') and described_difference ('The "
    "model as a whole is built differently (6 differences, no named variant): conv arrangement as it is where the "
    "reference has view -> transpose(0, 2, 1, 3, 4) -> contiguous -> view (x6)'), 12 mismatches (one, the extra "
    "index_select at layer1.0, unclaimed), for the channel shuffle as x.index_select(1, perm) on a non-persistent "
    "permutation buffer: on meta the permutation holds no values, so it is not matched to the builder's view / "
    "transpose / view (the corpus run, which builds it with its values, compares clean; 0 in float64: outputs, "
    "gradients, statistics) (expected clean)",
    "s2d_unshuffle_reranged": "under this test only (meta): described_difference ('The stem is built differently (2 "
    "differences, no named variant): an extra pixel_unshuffle in the candidate (stem); an extra index_select in the "
    "candidate (stem)'), 2 mismatches at space_to_depth, for F.pixel_unshuffle(x, 4) reordered into TResNet's "
    "channel order by index_select on a non-persistent index buffer: on meta the index holds no values, so the pair "
    "is not matched to the builder's view / permute / view (the corpus run, which builds it with its values, compares "
    "clean; 0 in float64) (expected clean)",
    # heldout128, first run at d22935a (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right in the corpus run, which builds each model
    # with its values, 9 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 3 of
    # 5). No false 'no difference' in the corpus run (functional_call given the teacher's parameters was seen only as
    # an unclaimed whole-model output mismatch); under this test it is one: no mismatch at all. The other misses: a
    # residual branch multiplied by an int 0 read as a network without residual adds, the data-dependent `if x.max() >
    # 1` against its torch.where spelling read as differences (two refactors missed and two edits given extra
    # descriptions), torch.cond crashing the trace, and a per-sample drop path named dropout.
    "script_alpha_final_int": "not_a_residual_network ('The candidate (ScriptResNet) is another kind of network than "
    "the reference (3 stages of [2, 2, 2] BasicBlocks, 16/32/64 wide): it has no residual additions'), claiming 20 "
    "kept mismatches ('stem: extra 3x3 conv (stages.0.0.conv1) not in the reference', ...; 42 more follow from the "
    "verdict), for the block's scale annotated alpha: Final[int] and stored as int(0.2) = 0: every block still adds "
    "its shortcut, the residual branch is multiplied by zero (eval outputs 0.90 apart on 3.2, training 0.31 on 2.0, "
    "gradients 0.91 on 1.9) (expected described in the blocks, stages / layer1-3)",
    "export_where_rescale": "two described_difference ('The stem is built differently (4 differences, no named "
    "variant) ... an extra amax in the candidate (stem); an extra gt ...; a multiply by the constant 0.00392157 ...; "
    "an extra where', and 'The model as a whole is built differently (2 differences ...): max missing in the "
    "candidate (model); gt missing in the candidate (model)'), 6 mismatches at the root, for `if x.max() > 1.0: x = x "
    "/ 255.0` spelled x = torch.where(x.amax() > 1.0, x / 255.0, x) (with a torch._assert helper under "
    "torch.compiler.disable): the same values for a 0..255 and a 0..1 input, 0 in float64 in both modes, gradients "
    "and statistics (expected clean)",
    "export_cond_buffers": "cifar_resnet_family ('The reference is a CIFAR ResNet-14 ... a different member of the "
    "ResNet family than the candidate (a network without residual blocks (CondResNet) ...)'), over one crash "
    "mismatch: the candidate's forward fails under the tool's trace ('Unsupported: Attempted to call function marked "
    "as skipped ... Dynamo does not know how to trace the builtin "
    "torch._C._dynamo.guards...set_is_in_mode_without_ignore_compile_internals', 2 ops ran before), for torch.cond("
    "x.amax() > 1.0, scale, keep, (x,)) with the mean and std as non-persistent buffers, which runs eagerly and is 0 "
    "apart in float64 (outputs in both modes, gradients, statistics) (expected clean)",
    "export_softmax": "softmax_output ('Softmax in the forward (probabilities, not logits)') claiming the head's "
    "softmax, with two described_difference for the input rescale as in export_where_rescale ('an extra amax ... an "
    "extra where' in the stem, 'max missing in the candidate (model); gt missing'), 6 mismatches at the root left to "
    "them: the variant is built on the torch.where rewrite, which computes the builder's rescale (0 apart) (expected "
    "softmax_output)",
    "export_unrolled_short": "block_counts ('Blocks per stage are [2, 1, 2] in the candidate, [2, 2, 2] in the "
    "reference') claiming blocks.3 missing and its 6 unused parameter tensors (18,560 values), right and allowed, but "
    "with the two described_difference for the torch.where rescale as in export_where_rescale, 4 mismatches at the "
    "root outside blocks: the edit is built on the torch.where rewrite, which computes the builder's rescale (eval "
    "outputs 14 apart on 19 from the missing block alone) (expected described at the blocks, block_counts allowed)",
    "vmap_drop_path": "stochastic_depth claiming the six regularizer mismatches since the scalar-draw rule "
    "(regularizers._SCALAR_DRAW: torch.rand(()) decides the whole branch), but one unclaimed 'head: extra "
    "__getitem__ (vmap.0)': the slice's run takes row 0 of the batch of one it made with s.unsqueeze(0), which the "
    "numerical check clears in vmap_per_sample but not beside a train-mode layer (first run: dropout for the whole "
    "branch kept or zeroed per sample by torch.where(torch.rand(()) >= 0.2, out / 0.8, 0) inside vmap(randomness="
    "'different'); eval 0 apart; training outputs 1.8 apart on 4.3) (expected stochastic_depth)",
    # heldout117, first run at f678687 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 10 of 16 right in the corpus run, which builds each model
    # with its values, 9 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 2 of
    # 5). No false 'no difference' in the corpus run; under this test fcall_detached_weights (no gradient reaches the
    # wrapper's parameters) is one. Two named misses carry an extra fact that is true to the fixtures and that the
    # expectations, fixed before the run, left out: the Distiller's train() keeps its teacher in eval, so a teacher run
    # by mistake also normalises with running statistics in training.
    "ema_made_before_head": "hard_coded_class_count ('Hard-coded class count: The classifier has 100 outputs where "
    "the reference has 10 (the class count asked for): the class count is written into the model instead of following "
    "num_classes', claiming the 3 mismatches at module.fc) for ModelEmaV2 made after adapt_to_cifar but before "
    "reset_classifier, so the shadow keeps the checkpoint's Linear(64, 100) and answers 100 classes where the builder "
    "answers 10: the place right, the cause named as a constant written into the model where it is a copy taken "
    "before the head was replaced (expected described at module.fc or as the output shape)",
    "kd_student_only": "one unclaimed mismatch ('29 parameter tensors (308,650 values) never used in forward: "
    "teacher.conv1.weight, teacher.bn1.weight, ...', at teacher.conv1.weight) for nn.DataParallel around mdistiller's "
    "Distiller whose forward returns student(image)[0]: the teacher registered beside the student and never run, the "
    "function the builder's (0 in float64 with the student's values: outputs, gradients, running statistics) (expected "
    "clean)",
    "kd_runs_teacher_wide": "widths ('The channel widths in the whole network are 2x the reference's', 21 mismatches) "
    "with normalization_layer ('Every BatchNorm frozen while training: All 9 of the candidate's BatchNorm layers are "
    "kept in eval mode while training (teacher.bn1 ...: the model's own train() sets them so)'), and one mismatch "
    "unclaimed ('29 parameter tensors ... never used in forward: student.conv1.weight ...'), for the Distiller's test "
    "forward written self.teacher(image)[0] with a 32 / 64 / 128 teacher (eval outputs 21 apart on 13.8 in float64, "
    "training 13 on 2.2): the widths named; the extra name is true to the code (the Distiller's train() keeps the "
    "teacher in eval, so the network that answers uses running statistics in training too) but was not in the "
    "expectation, and the unused student is left unclaimed (expected widths)",
    "kd_runs_teacher_deep": "block_counts ('Blocks per stage are [2, 2, 2] in the candidate, [1, 1, 1] in the "
    "reference', claiming the three extra blocks) with described_difference twice ('A BatchNorm kept in eval mode in "
    "training only in the candidate', at teacher.bn1 and at 8 BNs of teacher.layer1.0 ... layer3.0: 'the model's "
    "train() sets it to eval'), and one mismatch unclaimed (the student's 29 parameter tensors never used in forward), "
    "for the same slip with a teacher of two blocks per stage (eval outputs 47 apart on 13.8 in float64): the depth "
    "named; the teacher's BNs kept in eval by the Distiller's train() are true to the code but said as descriptions "
    "(where kd_runs_teacher_wide names them normalization_layer) and were not in the expectation (expected "
    "block_counts)",
    "kd_simkd_teacher_head": "extra_module_in_blocks ('An extra Sequential in the head': the projector's 1x1 conv, "
    "BatchNorm, ReLU) and described_difference ('The head is built differently (3 differences, no named variant)': the "
    "student's Linear computed but never used, an extra global pool, an extra Linear teacher.fc), located at the head, "
    "and one mismatch outside it ('27 parameter tensors (307,360 values) never used in forward: teacher.conv1.weight "
    "...', at teacher.conv1.weight) for SimKD's forward, the student's last map through a 1x1 conv + BN + ReLU "
    "projector to 128 channels, pooled, into the teacher's fc (eval outputs 18 apart on 13.8 in float64, training 2.3 "
    "on 2.2): the head said right, the teacher's unused body reported where the expectation placed nothing (expected "
    "described at the head)",
    "fcall_base_mode_stale": "described_difference ('batch_norm batch_statistics_in_eval True where the reference has "
    "None (6 places) ... one setting changed the same way everywhere, so one cause', claiming all 6 mismatches at the "
    "root's ops), normalization_layer not reported, for the functional_call wrapper whose stateless copy, held in a "
    "list, never follows .eval() on the wrapper, so every BN normalises with the batch's statistics in eval mode too "
    "(eval outputs 9.3 apart on 11.2 in float64, training identical): the fact found at every BN and said truly, the "
    "variant (BN on batch statistics at inference, as heldout95's maml_fw_batch_stats) not named (expected "
    "normalization_layer)",
    "fcall_detached_weights": "under this test only (meta): no mismatch and no finding for the weights handed to "
    "functional_call as p.detach(), a false 'no difference': on meta the backward is not compared by values, so the "
    "gradient that never reaches any of the 20 registered parameters (eval outputs 3.4 apart on 9.7 after one SGD "
    "step at lr 0.01 in float64) is not seen; the corpus run, which builds the candidate with its values, says it "
    "('Only the backward differs: ... training sees other gradients for 20 of 20 learned tensors') (expected "
    "described at the root or as a whole-model fact)",
    # heldout114, first run at 9d0ff8e (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 6).
    # No false 'no difference': every rounding that changed a width or a depth was seen, a one-channel-narrower stage
    # (int(76.8)) and a stage of 0 blocks (round(0.5)) included. The one miss is a named variant said with extra names.
    # heldout119, first run at 5a4b04f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right in the corpus run, which builds each model
    # with its values, 10 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 3 of
    # 5). One false 'no difference' in both: built_head_every_call (a classifier made anew on every call). A Keras-style
    # reference whose layers are made by its first forward is traced with that forward's module-making in it (init
    # ops, parameters counted 0, BatchNorms made mid-trace in training mode), so a refactor built before the trace is
    # read as 200 differences.
    "lazy_norms_from_out_channels": "under this test only (meta): compare() raises ValueError ('Attempted to use an "
    "uninitialized parameter in <method 'detach' of 'torch._C.TensorBase' objects> ... When using LazyModules Call "
    "`forward` with a dummy batch to initialize the parameters') while copying the candidate to meta for its trace, for "
    "lazy convs with eager nn.BatchNorm2d(conv.out_channels) norms and an eager head, returned unmaterialised; the "
    "corpus run, which builds the candidate with its values, compares it clean; the same network as the builder's "
    "all-lazy one (0 in float64 once materialised, every tensor copied) (expected clean)",
    "probe_at_64": "no finding: two mismatches at classifier ('head: Linear has 10,250 parameters, expected 2,570'; "
    "'the candidate's classifier (Linear) is built with in_features=1024 but 256 reach it, so the forward fails there; "
    "traced as in_features=256') with the note that the candidate was traced with 1 repair on a copy, left unclaimed "
    "(linear_in_features not reported), for the classifier sized by a dummy forward at input_size=64 where the builder "
    "probes at 32: Linear(1024, 10) fed 256 features, the forward fails ('mat1 and mat2 shapes cannot be multiplied "
    "(1x256 and 1024x10)') (expected linear_in_features, fixed_size_head allowed)",
    "probe_pool_2": "fixed_size_head ('The head (AvgPool2d(2, stride=2, padding=0) + Linear(1024, 10)) is sized for one "
    "input resolution instead of pooling globally: it only fits square inputs of 32-36 px'), claiming all 5 mismatches "
    "at features.pool and classifier (kernel_size, stride, output 4x4 for 2x2, in_features 1024 for 256), for the pool "
    "typed AvgPool2d(2) where the builder's is AvgPool2d(4), the probe sizing the classifier to 1,024 features: the "
    "builder's head (AvgPool2d(4) + Linear(256, 10)) is just as fixed to 32-35 px, so the name is not the difference "
    "(eval outputs 52 apart on 47 in float64, training 3.3 on 2.4) (expected described at features.pool and "
    "classifier)",
    # heldout121, first run at 2af3e6f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 6 of 16 right in the corpus run, which builds each model
    # with its values, and 6 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 2
    # of 5). One false 'no difference' in both: unfold_hwio_flatten (an im2col conv whose kernel is flattened in
    # another order than its columns). Two more under this test only (meta): swish_saved_output and
    # fftgrl_grl_left_in, whose forward is the builder's and whose backward is not; the corpus run says 'Only the
    # backward differs' for both, at the root.
    "unfold_conv_bias": "extra_module_in_blocks twice ('UnfoldConv2d in place of the reference's 3x3 conv in 6 "
    "blocks', conv1 and conv2: 'unfold, matmul, add ... one replacement, not a difference per op'), repeated_in_blocks "
    "('unfold where the reference has 1x1 conv (shortcut); an extra matmul ...; an add of a learned 32-value parameter "
    "(layer2.0.shortcut.0.bias)', in layer2.0 and layer3.0) and described_difference ('The stem is built differently "
    "(3 differences, no named variant)': unfold, matmul and an add of conv1.bias), 45 mismatches at all 15 convs, "
    "conv_bias_before_bn not reported, for the hand-written UnfoldConv2d's bias=True default kept before every BN "
    "(training outputs identical in float64, eval 0.64 apart on 2.0, running statistics 0.034): the same im2col conv "
    "without a bias compares clean (unfold_matmul_conv), so the bias is seen only as ops of an unrecognised conv "
    "(expected conv_bias_before_bn)",
    "unfold_hwio_flatten": "parameters_computed_in_forward ('In 15 layers (conv1 ...) the candidate's weights are "
    "computed in forward (permute(0, 2, 3, 1)); the reference's are used as stored. Shapes and parameter counts agree; "
    "the function does not'), claiming the 15 param_ops mismatches at the convs, for an UnfoldConv2d whose kernel is "
    "flattened weight.permute(0, 2, 3, 1).reshape(out, -1) (TensorFlow's (kh, kw, in) order) against F.unfold's (in, "
    "kh, kw) columns, so each weight multiplies another input tap (eval outputs 1.0 apart on 2.0 in float64, training "
    "0.43 on 1.5, parameter gradients 5.9): found where it is since tracing/recorder.py's permuted kernels (its first "
    "run compared clean, a false 'no difference'), but said with a name (expected described at conv1 and layer*)",
    "formula_bn_relu_pool": "under this test only (meta): described_difference twice ('A training-mode branch only "
    "in the candidate: FormulaBatchNorm2d (training mode only) ...', at bn1 and in 6 of 6 blocks), 30 mismatches, for "
    "BatchNorm written as the formula with the same parameters, buffers, momentum and unbiased running variance, ReLU "
    "as clamp_min(0) and the 3x3 / 2 max pool from -inf-padded as_strided windows and amax: the same function (eval "
    "1.0e-15 apart in float64 on 3.6, training 4.9e-15, gradients 2.5e-14, running statistics 1.3e-15). The formula "
    "reads as BatchNorm and the windows as the pool since tracing/written_bn.py and tracing/strided_pools.py, but a "
    "model built on meta has no values for the numbers to compare the formula's training mode by, so its training "
    "branch stays a record of its own there; the corpus run, which builds it with values, compares it clean (its first "
    "run: normalization_layer, both training-branch descriptions and the pool described, 93 mismatches) (expected "
    "clean)",
    "formula_bn_keras": "described_difference ('15 batch_norm layers (6 blocks, stem) have eps 0.001 where the "
    "reference's have 1e-05: one setting changed the same way everywhere'; under this test (meta) also the two "
    "training-branch records of the first run), keras_batchnorm not named, for the formula BN at Keras' epsilon 1e-3 "
    "and momentum 0.99: the formula reads as BatchNorm since tracing/written_bn.py, its eps from the eval arithmetic, "
    "but its momentum lives in the training branch's running-statistics update, which no attribute records (its first "
    "run: normalization_layer, the training-branch descriptions and the pool) (expected keras_batchnorm)",
    "formula_bn_batch_stats_in_eval": "normalization_layer ('15 of the reference's 15 BatchNorm layers are "
    "BatchStatsFormulaBatchNorm2d in the candidate') and described_difference twice ('BatchStatsFormulaBatchNorm2d "
    "(training mode only) ... the identity in eval mode', at bn1 and in 6 blocks), for the formula BN normalising by "
    "the batch's statistics in eval too: found at the norms, but named another normalization and said as a "
    "training-only branch where the difference is eval's alone (training outputs, gradients and running statistics "
    "identical, eval 2.3 apart on 3.6) (expected described at bn1 and layer*)",
    "swish_saved_output": "in the corpus run described_difference ('Only the backward differs: The forward is the "
    "reference's ..., but training sees other gradients for 45 of 47 learned tensors'), one mismatch at the root "
    "(field 'gradients', candidate path ''), outside the activations; under this test only (meta) no mismatch and no "
    "finding, a false 'no difference' (the backward is not compared without values), for the memory-efficient Swish "
    "Function saving its output for backward instead of its input (outputs in eval and training identical in "
    "float64, input gradient 0.094 and parameter gradients 2.0 apart on 3.3, eval 9.1 apart on 2.4 after one SGD "
    "step) (expected described at act and layer*)",
    "fftgrl_grl_left_in": "in the corpus run described_difference ('Only the backward differs: The forward is the "
    "reference's ..., but training sees other gradients for 45 of 47 learned tensors'), one mismatch at the root "
    "(field 'gradients', candidate path ''), not at the reversal; under this test only (meta) no mismatch and no "
    "finding, a false 'no difference', for a GradientReversal (lambda 1.0) left between the pooled features and fc "
    "(outputs and statistics identical in float64, input gradient 0.38 and parameter gradients 7.7 apart on 4.0, eval "
    "98 apart on 120 after one SGD step) (expected described at grl or fc)",
    # heldout124, first run at 410c388 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run, which builds each model
    # with its values, and under this test, which builds the candidate on meta, the same three missed; twins 16 of 16
    # clean; swapped 5 of 6). One false 'no difference': torchvision's StochasticDepth in 'batch' mode for timm's
    # DropPath. The five refactors (Conv2dNormActivation, SqueezeExcitation, create_attn('se', rd_channels=...),
    # create_conv2d / BatchNormAct2d / create_act_layer / ClassifierHead with its Dropout(0.0), StochasticDepth 'row')
    # compared clean; FrozenBatchNorm2d, the helper's bias without a norm, padding='same', BlurPool2d and StdConv2d were
    # named; timm's default SE ratio, the hard-sigmoid SE scale and BatchNormAct2d's act on bn2 were described.
    "sd_after_add": "stochastic_depth ('Stochastic depth (drop path) on the other side of the residual add: DropPath "
    "... in 5 of 6 blocks (layer1.1 ... layer3.1) runs after the add in the candidate ..., where the reference's runs "
    "before the add', claiming the 5 mismatches at layer?.?.drop_path), for relu(drop_path(out + shortcut)) where the "
    "builder drops the branch alone: right in substance and place, but a name where the expectation, fixed before "
    "the run, allowed none (both sides have stochastic depth; eval identical, training 0.65 apart on 1.7 at batch "
    "4, 0.27 at batch 1) (expected described at the blocks)",
    # heldout129, first run at 4b08489 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run, which builds each model
    # with its values, 14 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 4 of
    # 4). No false 'no difference': the positional embedding never added, the output read from x[-1], the stem stride
    # moved to conv2, the pool before the 3x3, the stem at stride 1, the / 255 left out and the L2 normalisation left
    # out were each seen at their place; the five refactors (a single-query SDPA pool, the average pool after the 1x1
    # conv3, a pool-conv module, children()[:-1], weight norm written out) compared clean with values. The misses: the
    # teacher temperature's division before the softmax left unclaimed, and under meta the hand-written weight norm.
    "dino_weight_norm_by_hand": "under this test only (meta): parameters_computed_in_forward ('In 1 layer "
    "(head.last_layer) the candidate's weights are computed in forward (mul, then normalize(p=2.0, dim=1)); the "
    "reference's are reparametrized as g * v / ||v|| (weight_norm: the same layers, other parameters, other training "
    "dynamics ...)'), 2 mismatches ('head: Linear param_ops is ...normalize(p=2.0, dim=1), expected weight_norm', "
    "'head: Linear has 330 parameters, expected 320'), and a note that the candidate freezes head.last_layer.g where "
    "the reference freezes 0 (the reference's weight_g is frozen too), for DINOHead's last layer as a hand-written "
    "WeightNormLinear, F.linear(x, g * v / v.norm(dim=1, keepdim=True)) with g filled with 1 and frozen: the same g * "
    "v / ||v|| per row (2.2e-16 apart in float64, gradients 3.6e-15; the corpus run, which builds it with its values, "
    "compares clean) (expected clean)",
    # heldout130, first run at 6222756 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run, 14 of 16 under this test,
    # which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference': every
    # edit hidden in a fused op's arguments was seen (alpha=-1, the chain's order, training=True, the lerp weight, the
    # einsum's subscripts, the clamp bound), two of them under a wrong name. func_batch_norm_buffers is missed in the
    # corpus run only (described_difference 'Only training mode differs ... one training forward from the same state
    # changes the buffers it leaves (bn1.num_batches_tracked, layer1.0.bn1.num_batches_tracked, ...) ... look first at
    # bn1', one mismatch at bn1, for every BN run as F.batch_norm on its own buffers with self.training, whose
    # num_batches_tracked counter is not advanced and is read by nothing while a momentum is set: outputs, gradients and
    # running statistics 0 apart in float64; expected clean); under this test, which builds the candidate on meta, no
    # training forward is compared and it is right, so it has no entry here:
    # heldout131, first run at 4503a60 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run, which builds each model
    # with its values, 13 of 16 under this test, which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of
    # 5). No false 'no difference' in the corpus run: the noise left on in eval, the training test inverted, sigma
    # changed, the shortcut left unmixed, the Dropout2d for Dropout were each seen; the permutation never used was seen
    # but claimed by nothing. Under this test one false 'no difference': sigma=1.0 for 0.1 (below). The refactors (the
    # noise inline, the mixing as a module, F.dropout, a min-pooled keep mask) compared clean but for the mixing moved
    # before a pre-activation add, said to change training.
    "mixup_before_add": "described_difference ('A training-mode branch on the other side of the residual add': "
    "'MixBeforeAddBlock (training mode only) in layer1.0 runs before the add in the candidate (at layer1.0), where the "
    "reference's runs after the add: the skip path carries it, or not, otherwise ... the network training sees does "
    "not'), one mismatch at layer1.0 ('MixBeforeAddBlock (training mode only) before the add where the reference's "
    "runs after the add'), for manifold mixup moved into layer1's pre-activation block with the branch and the "
    "shortcut each mixed by the same lam and index before the add: the mix is linear and nothing follows a "
    "pre-activation add, so the sum is the reference's mixed block output (train outputs 8.3e-16 apart on 1.6 in "
    "float64 over five seeds, gradients 1.6e-15, running statistics 2.2e-16; eval 0); the same in the corpus run and "
    "under this test (expected clean)",
    # heldout132, first run at 58545d4 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta, the same four missed; twins 16 of 16 clean; swapped 5 of 5). Two false 'no
    # difference': a low-rank kernel's product viewed in HWIO order and a max-norm bound typed 2.5 for 0.25, both
    # changes inside a weight computation whose op chain is unchanged. The weight-standardised convs, the head left
    # plain, weight_norm(dim=1), ReLU, the skips' gain left out, the low-rank bias, a factor shared by two convs, a
    # softmax and the features normalised over dim 0 were seen at their place; two of the five refactors were not
    # compared clean:
    "wnorm_norm_except_dim": "parameters_computed_in_forward ('In 10 layers (conv1 ...) the candidate's weights are "
    "computed in forward (norm_except_dim→div→mul); the reference's are reparametrized as g * v / ||v|| (weight_norm: "
    "the same layers, other parameters, other training dynamics ...)') and three described_difference at layer1.0, "
    "layer2.0 and layer3.0 ('conv with 2336 parameters where the reference's has 2320', ...), 20 mismatches "
    "('3x3 conv param_ops is 'norm_except_dim→div→mul', expected 'weight_norm'', 'stem: 3x3 conv has 464 parameters, "
    "expected 448'), for each weight-norm layer hand-written with bias, g (out x 1 x 1 x 1) and v and the weight v * (g "
    "/ torch.norm_except_dim(v, 2, 0)), which is what the parametrization's torch._weight_norm computes from the same "
    "three tensors: the parameter counts are equal (the reference's layer counted as weight + bias, 448, for its bias, "
    "original0 and original1, 464), outputs 4.4e-16 apart on 1.2 in float64, gradients 1.8e-15 on 5.6 (expected "
    "clean)",
    # heldout133, first run at a6d8cca (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference': the four edits
    # whose eval outputs match the builder's (the dilation flags (True, True, False), whose strided network is a
    # subsampling of the dense one; frozen_stages=0; FrozenBatchNorm2d everywhere; Dropout2d) were each seen, and the
    # five refactors but one compared clean.
    "fpn_c2_from_stem": "three described_difference, one of them unlocated: 'Block backbone.layer1.0 is built "
    "differently (66 differences, no named variant)' claiming mismatches at candidate paths from backbone.layer1.1 "
    "through layer4.1, neck, neck.lateral_convs.1 .. 3 ('backbone.layer1.0 main path: extra 3x3 conv "
    "(backbone.layer2.0.conv1) not in the reference', ... 'extra interpolate (neck)'), 'Blocks joined otherwise' ('[1, "
    "0] blocks per stage in the candidate and [2, 1] in the reference', a block missing at the reference's root), and "
    "'A BatchNorm kept in eval mode in training only in the candidate' at backbone.layer1.1.bn1 / bn2 (both sides "
    "freeze layer1), 70 mismatches, for the backbone returning the stem's max-pool map c1 as C2 in place of layer1's "
    "c2: the residual chain is read as re-joined rather than one feature tap moved (eval outputs 26 apart on 150, "
    "train 26 on 39; expected described at the backbone and neck.lateral_convs.0)",
    # heldout139, first run at 6364831 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference': the edit whose
    # outputs match the builder's (Keras' momentum 0.99 written as PyTorch's, running statistics only) was found
    # (keras_batchnorm, allowed); the permute left out before flattening a 2 x 2 map was seen by one mismatch no
    # finding claims ('linear (fc) reads its input arranged otherwise'), located at fc: right as a described idiom.
    # heldout135, first run at 95f6c69 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). One false 'no difference':
    # bnneck_bias_trainable (no mismatch, no finding; only a note says the reference freezes bottleneck.bias). The
    # three other edits whose eval outputs match the builder's (the margin on every logit, GeM's p a float, the
    # Dropout) were each seen, the margin on every logit by one unclaimed mismatch at the head.
    "arc_insightface_arccos": "described_difference ('A training-mode branch missing in the candidate: The reference "
    "applies ArcMarginProduct (training mode only) in the head (2 of them); the candidate has none ... the network "
    "training sees does not', suggesting 'add ArcMarginProduct with p=1 in the head'), 3 mismatches ('head: "
    "ArcMarginProduct (training mode only) (training_only) is missing in the candidate' twice, 'head: extra clamp "
    "(head) not in the reference'), for the same additive angular margin written by angle (the cosines clamped to "
    "[-1, 1], cos(acos(t) + m) on the target entries with the same th / mm fallback, put back by index assignment, "
    "times s): the candidate's training-only margin is not recognised as one, and the clamp is a no-op on cosines "
    "(eval outputs 0 apart, train 2.7e-15 on 10, gradients 5.7e-14 on 69, statistics 0) (expected clean)",
    "bnneck_bias_trainable": "no mismatch and no finding (the verdict 'no difference'; a note alone: 'the reference "
    "freezes 1 parameter tensor (128 values, requires_grad=False) where the candidate freezes 0: bottleneck.bias; the "
    "forward is compared alone, and a frozen tensor keeps its first values in training'), for the BNNeck's "
    "bias.requires_grad_(False) left out: the outputs agree at the same values (eval and train 0 apart) but the "
    "BNNeck's shift gets a gradient and trains, one more trained tensor (expected described at bottleneck)",
    # heldout134, first run at f3a27a0 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). Two false 'no difference', both
    # checkpointing edits seen only when backward runs: ckpt_reentrant_frozen_input and ckpt_wrapped_twice. The
    # autocast island, a difference in float32 only, was found (a described_difference at layer2).
    "ckpt_reentrant_frozen_input": "no mismatch and no finding, a false 'no difference', for the stages checkpointed "
    "with checkpoint(stage, x, use_reentrant=True) behind the builder's frozen stem (conv1 / bn1 requires_grad False): "
    "with an image that needs no gradient the reentrant checkpoint's output needs none, so no stage parameter gets a "
    "gradient (42 parameters' gradients None where the builder's are not, gradients 3.1 apart on 15 in float64) and "
    "no stage is recomputed in backward (its BatchNorms' running statistics move once a step where the builder's move "
    "twice, 1.3 apart after one step); the forward is the same function, and with an input that requires a gradient "
    "nothing differs (expected described at the root's forward and layer?); right in the corpus run since 76d7c05 "
    "(verify/hidden_backward.py runs the training step beside a BatchNorm held in eval), under this test only (meta: "
    "no values, so the backward is not run)",
    "ckpt_wrapped_twice": "no mismatch and no finding, a false 'no difference', for apply_activation_checkpointing("
    "model, check_fn=isinstance(m, BasicBlock)) applied to the builder that already runs each stage as "
    "checkpoint(stage, x, use_reentrant=False): every block checkpointed inside its stage's checkpoint, so backward "
    "recomputes the first block of each stage twice (its BatchNorms' num_batches_tracked 3 after one step where the "
    "builder's are 2; running statistics 1.2 apart, eval outputs after the step 6.3 on 95 in float64); outputs and "
    "gradients the same (expected described at the root's forward and layer?); right in the corpus run since "
    "76d7c05 (the statistics a training step leaves are compared), under this test only (meta: no values)",
    # heldout136, first run at 2f6802d (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 4 of 5). One false 'no difference': nf_ws_eps (the
    # WS convs' eps 1e-4 for 1e-5 inside F.batch_norm: no mismatch, no finding, outputs 1% apart in float64). The
    # other edits whose structure matches the builder's (the Fixup multiplier after the add, beta from the wrong block
    # count, SkipInit's alpha on the shortcut or a buffer, the LayerScale gamma before bn2) were each seen and
    # described in place, and the four init-only or spelling refactors of scalars (Bias / Scale modules, the Fixup
    # initialisation left out, a 0-dim alpha, LayerScale2d) compared clean.
    "nf_ws_parametrize": "described_difference ('weights computed otherwise in forward: In 15 layers (stem ...) the "
    "candidate's weights are standardized in forward (var_mean(dim=(1, 2, 3), correction=0)→sub→add(1e-05)→rsqrt→mul "
    "...); the reference's are standardized in forward (mul→batch_norm ...). Shapes and parameter counts agree; the "
    "function does not'), claiming all 15 param_ops mismatches (the parametrization's own gain is now counted as the "
    "conv's, as the model built owns it: tests/test_parametrization_own_params.py), for every ScaledStdConv2d written "
    "as an nn.Conv2d under register_parametrization with (w - mean) * rsqrt(var + eps) * gain * scale from "
    "torch.var_mean: the same standardisation F.batch_norm computes (biased variance, eps inside the root) and the "
    "same gain (eval outputs 2e-15 apart on 1.4 in float64, gradients 4.4e-15 on 5.4): the two spellings are not one "
    "canonical chain yet (expected clean)",
    # heldout138, first run at a9e5fbd (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference': the two edits
    # whose eval outputs match the builder's (the shortcut's pool after its 1x1 conv_layer, a flat drop-path schedule)
    # were both seen; both misses are the right place under a variant's name where a description was expected.
    "rs_drop_path_flat": "stochastic_depth twice ('Stochastic depth (drop path) only in the candidate: DropPath(p=0.2) "
    "in layer1.0 ... the reference has none' and 'Stochastic depth (drop path) at another rate: ... p=0.2 in the "
    "candidate where the reference has p rising linearly 0.06667->0.1333'), claiming the 3 mismatches at "
    "layer1.0.drop_path, layer2.0.drop_path and layer3.0.drop_path, for every block given the top rate 0.2 where the "
    "builder's rate grows linearly from 0: both sides have stochastic depth, the schedule differs, so the variant's "
    "name is wrong though places and rates are right (eval outputs 0 apart, train 1.3 apart on 1.5 at the same seed, "
    "gradients 14 on 12; expected described at layer1.0, layer2.0 and layer3.0)",
    # heldout140, first run at 322b7aa (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 12 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 3 of 5). No false 'no difference': every edit was
    # seen, the two whose parameters match the builder's one for one (rSoftMax over the cardinality, the stage pool only
    # where the block strides) at the right place; the branch list concatenated last first was seen but named wrongly.
    "rx_conv_reduce_formula": "fixed_size_head ('Fixed-size head: The head (AvgPool2d(8, stride=1, padding=0) + "
    "Linear(128, 10)) is sized for one input resolution instead of pooling globally: it only fits square inputs of 32 "
    "px'), one mismatch at the root ('head: expected global pool, found avg pool'), for prlz77's spelling of the same "
    "ResNeXt (conv_reduce / conv_conv / conv_expand, D = cardinality * int(base_width * width_ratio), x = "
    "F.avg_pool2d(x, 8, 1); x.view(-1, 128)): at the compared 32 x 32 input the 8 x 8 pool is the global pool (eval "
    "outputs 5.3e-15 apart on 9.7 in float64, train 6.7e-16, gradients 1.1e-15 on 3, statistics 0); the finding is "
    "true of other input sizes, which the idiom's expectation did not weigh (expected clean)",
    # heldout137, first run at eb9f92b (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference': the six edits
    # (CBAM and CoordAtt on the shortcut sum, CBAM's max-pooled branch dropped, ECA's kernel fixed at 3 in layer4 only,
    # CoordAtt's bn1 commented out, SK's softmax over the channels) were each seen and located, and the five named
    # variants named. The two misses are refactors that write an attention MLP as 1x1 convs on a pooled N x C x 1 x 1
    # map where the builder has Linear layers on N x C:
    "sk_conv_fc": "three repeated_in_blocks ('One line, the same difference in 4 blocks: 1x1 conv where the reference "
    "has Linear (main path); cat dim 1 where the reference has None (main path)', '1x1 conv where the reference has "
    "Linear (main path)' and 'softmax of 5 where the reference has 3 (main path)', in layer1.0 ... layer4.0), 20 "
    "mismatches ('expected Linear, found 1x1 conv' at layer?.0.sk.fc and .fcs.0 / .fcs.1, 'cat dim is 1, expected "
    "None' and 'softmax of is 5, expected 3' at layer?.0.sk), for the SKConv's squeeze and per-branch excitations as "
    "1x1 convs on the AdaptiveAvgPool2d(1) map, the branches joined by torch.stack(dim=1) and torch.softmax(dim=1) on "
    "the N x M x C x 1 x 1 tensor, where the builder runs Linear layers on .mean(-1).mean(-1), unsqueeze + torch.cat "
    "and nn.Softmax(dim=1) on N x M x C: the same function (eval outputs 4.4e-15 apart on 9.4 in float64, train "
    "1.8e-15 on 1.6, gradients 1.2e-14 on 7.6, statistics 2.2e-16) (expected clean)",
    # heldout141, first run at a668560 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run, 13 of 16 under this test,
    # which builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference' in the corpus
    # run: the blur filter not normalised and at filt_size 5, the dilation on conv2 only, antialiased-cnns' size-1 stem
    # pool and the space-to-depth stem were each seen and located, and four of the five named variants named alone.
    "lpf_filter_unnormalised": "under this test only (meta): no mismatch at all, for every blur's filt buffer left "
    "undivided by its sum (1 to 4 where the builder's runs 0.0625 to 0.25: each blur multiplies by 16, eval outputs "
    "4.5e4 apart on 9.9, train 0.95 on 2.1): on meta the buffers have no values to compare; the corpus run, which "
    "builds the candidate with its values, finds the five constants at maxpool.1, layer2.0.conv2.0, "
    "layer2.0.downsample.0, layer3.0.conv2.0 and layer3.0.downsample.0 (a described_difference for four of them) "
    "(expected described at maxpool, layer2.0 and layer3.0)",
    # heldout142, first run at a668560 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). One false 'no difference' (bit_ws_axes); the
    # frozen-BN, norm_eval, SyncBN and GroupNorm edits were otherwise each seen and located.
    "mmn_affine_less": "normalization_layer ('BatchNorm with affine=False: 12 of the reference's 12 BatchNorm layers "
    "have affine=False in the candidate (bn1 ...), affine=True in the reference'), claiming all 24 mismatches "
    "('BatchNorm affine is False, expected True' and 'BatchNorm has 0 parameters, expected 64' at bn1, layer?.0.bn1 / "
    ".bn2 and layer?.0.downsample.1), for norm_cfg=dict(type='BN', affine=False): the places and the cause are right, "
    "but an affine-less BatchNorm is still a BatchNorm, not another normalization layer, so the variant's name is "
    "wrong (eval outputs 8.9 apart on 16.3, 178,410 parameter values for 179,562; expected described at every BN, the "
    "parameter count a whole-model fact)",
    # heldout143, first run at a668560 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 6 of 6). No false 'no difference': every edit was
    # seen, the two whose parameters match the builder's one for one in the option-A shortcut (DownsampleA's pad all
    # after the identity, the slice starting at 1) described at layer2.0 / layer3.0, the five refactors clean.
    # heldout144, first run at a668560 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 6 of 6). No false 'no difference': the five described
    # edits (the max pool unpadded, the max pool alone dropped, GeM at a fixed p = 1 for the average pool, the concat
    # pool's halves average first, GeM's p applied once) were each seen where they are, and the six named variants
    # named. The one miss is a refactor of the stem:
    # heldout145, first run at a668560 (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 3 of 4). No false 'no difference': every edit was
    # seen, the four whose parameters match the builder's one for one (the SE after the add, on the shortcut, a hard
    # sigmoid, a max-pooled squeeze) among them; the five refactors compare clean.
    # heldout146, first run at 414eb2f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 15 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 7 of 7). No false 'no difference': every edit was
    # seen; the six named variants named alone, conv_in_channels for the self.inplanes update left out, layer1.0's
    # needless projection an extra_module_in_blocks there, expansion 4 on the BasicBlock widths (allowed); the stride-1
    # shortcut conv is right only as a whole-model fact (one unexplained crash mismatch at layer2.0's add_, no
    # finding). The one miss is the stride given to every block:
    # heldout147, first run at 414eb2f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 14 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference': every edit was
    # seen, the five activation swaps named activation_function, and the dropped F.relu result, darknet's default
    # slope, the one-slope PReLU (five unexplained parameter-count mismatches at the PReLUs, no finding), the tanh GELU
    # and the in-place Hardswish described where they are; four of the five refactors compare clean. The two misses:
    # heldout148, first run at 414eb2f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 11 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 3 of 4). No false 'no difference': the six described
    # edits (the non-local softmax over the queries, its residual add left out, the blocks in stage 2, the GC block's
    # channel_mul fusion and its LayerNorm left out, the augmented conv's output reshaped without its transpose) were
    # each seen and located, and three of the four named variants named alone; two refactors (mmaction2's
    # non_local_block inside the block, F.scaled_dot_product_attention) compare clean. Four misses are refactors, one a
    # named variant:
    "nlk_einsum_flatten": "two repeated_in_blocks ('One line, the same difference in 2 blocks: einsum equation "
    "bij,bcj->bci where the reference has None (main path); einsum function einsum where the reference has matmul "
    "(main path); einsum output_shape (1, 32, 64) where the reference has (1, 64, 32) (main path)' and 'max pool moved "
    "along the main path, in 2 blocks (NL_3.0, NL_3.1)'), 8 mismatches at NL_3.0 / NL_3.1 ('matmul function is "
    "'einsum', expected 'matmul'', 'matmul output 1x32x64, expected 1x64x32', 'max pool is applied at another place on "
    "the main path (NL_3.0.phi.1)'), for the non-local block written theta(x).flatten(2), phi(x).flatten(2), "
    "g(x).flatten(2) (the three 1x1 convs called in that order where the builder calls g first), "
    "torch.einsum('bci,bcj->bij') with softmax(dim=-1) and torch.einsum('bij,bcj->bci') reshaped to (B, C', H, W), for "
    "the builder's view / permute / matmul / F.softmax(dim=-1) / matmul / permute / view: the same function (eval "
    "outputs 0 apart on 107 in float64, train 0, gradients 1.2e-13 on 94, statistics 0); the max pools of g and phi "
    "are the same op on inputs computed in another order, not moved (expected clean)",
    "nlk_softmax_transposed": "two repeated_in_blocks ('softmax dim 1 where the reference has 2 (main path), in 2 "
    "blocks (NL_3.0, NL_3.1)' and 'max pool moved along the main path, in 2 blocks'), 4 mismatches ('NL_3.0 main "
    "path: softmax dim is 1, expected 2' and 'max pool is applied at another place on the main path (NL_3.0.phi.1)', "
    "the same at NL_3.1), for the affinity formed keys by queries, torch.bmm(phi_x.transpose(1, 2), theta_x), the "
    "softmax over dim 1 (the keys there) and torch.bmm(g_x, attention), with theta / phi / g called in that order: the "
    "softmax normalises over the keys as the builder's dim=-1 on (B, queries, keys) does (eval outputs 9.9e-14 apart "
    "on 107 in float64, train 3.5e-15 on 1.4, gradients 2e-12 on 94, statistics 2.7e-15); the dim number is compared "
    "without the transposed product that gives it its axis (expected clean)",
    "gcx_linear_layernorm": "four repeated_in_blocks ('softmax dim 1 where the reference has 2 (main path); softmax of "
    "2 where the reference has 3 (main path)', 'einsum equation bci,bi->bc where the reference has None (main path); "
    "einsum function einsum where the reference has matmul (main path); Linear where the reference has 1x1 conv (main "
    "path)', and 'norm normalized_shape (16,) where the reference has (16, 1, 1)' for layer2 and '(24,) ... (24, 1, "
    "1)' for layer3), claiming 34 of 35 mismatches at layer2.0 ... layer4.0's context_block (layer4.0's "
    "'normalized_shape is (32,), expected (32, 1, 1)' claimed by none), for LF-Font's GlobalContext spelling: "
    "F.softmax(k_proj(x).flatten(1), dim=1), torch.einsum('bci,bi->bc', x.flatten(2), w), Linear / "
    "LayerNorm(planes) / ReLU / Linear on the pooled vector and x + out[..., None, None], where the builder has mmcv's "
    "nn.Softmax(dim=2) on (N, 1, HW), torch.matmul, 1x1 convs and LayerNorm([planes, 1, 1]) on N x C x 1 x 1: the same "
    "function with the same weights reshaped (eval outputs 2.8e-14 apart on 36 in float64, train 3e-14 on 4.7, "
    "gradients 9.1e-13 on 133, statistics 4e-15) (expected clean)",
    "gcx_groupnorm_one": "normalization_layer ('GroupNorm in place of layer_norm: 5 of the reference's 5 layer_norm "
    "layers are GroupNorm in the candidate (layer2.0.context_block.channel_add_conv.1 ...). Shapes agree; training "
    "behaviour and the state_dict do not'), claiming all 15 mismatches ('norm norm is 'group_norm', expected "
    "'layer_norm'', 'normalized_shape is None, expected (16, 1, 1)', 'num_groups is 1, expected None' at each "
    "context_block.channel_add_conv.1), for nn.GroupNorm(1, planes) in place of nn.LayerNorm([planes, 1, 1]) on the "
    "N x planes x 1 x 1 context: both normalise over the same planes values with eps 1e-5 and a per-channel scale and "
    "shift, in training as in eval (eval outputs 2.8e-14 apart on 36 in float64, train 1.5e-14 on 4.7, gradients "
    "7.9e-13 on 133, statistics 2.9e-15); only the state_dict's weight shapes ([planes] for [planes, 1, 1]) differ "
    "(expected clean)",
    "gcx_se_for_gc": "squeeze_excitation ('Squeeze-excitation in the blocks: 5 of the candidate's blocks (layer2.0, "
    "layer2.1, layer3.0, layer3.1 ...) carry squeeze-excitation ... that the reference's do not'), claiming 25 of 40 "
    "mismatches, with two repeated_in_blocks for the rest of the reference's GC block ('matmul missing in the "
    "candidate (main path), in 5 blocks' and '1x1 conv missing in the candidate (main path); norm missing in the "
    "candidate (main path), in 5 blocks', 15 mismatches), for timm's SEModule in place of every mmcv ContextBlock "
    "(91 parameter tensors for 111, 76,950 parameters for 93,839; eval outputs 34 apart on 36): the SE is named, but "
    "the context block the candidate lacks is said op by op as one-line edits rather than as a module of the "
    "reference's blocks (expected squeeze_excitation, extra_module_in_blocks allowed)",
    # heldout149, first run at 414eb2f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 13 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 3 of 6). No false 'no difference': every edit was
    # seen, the five described ones (slim's decay 0.997 as PyTorch's momentum, the 'SAME' pool's pad at value 0 and its
    # pads exchanged, post_bn left out, the pool shortcut on preact) at the right place, and the five refactors compare
    # clean. The misses are two pools' paddings named otherwise and a stage-end stride named twice:
    "tkv_pool_padding1": "described_difference ('The stem is built differently (2 differences, no named variant)': "
    "'pad missing in the candidate (stem); max pool padding (1, 1) where the reference has (0, 0) (stem)'), claiming "
    "the 2 mismatches at (reference) pool1_pad and pool1_pool, for Keras' pool1_pad (ZeroPadding2D(1)) + unpadded "
    "pool1_pool written nn.MaxPool2d(3, 2, padding=1): PyTorch pads the pool with -inf where Keras pads zeros, and "
    "ResNetV2's stem conv output is not ReLU'd, so border windows holding only negative values differ (eval outputs "
    "0.049 apart on 51 in float64, train 0.022 on 2.3, gradients 22 on 50; expected keras_pool_padding, keras_stem "
    "allowed)",
    # heldout150, first run at 414eb2f (no uncommitted edits under resnet_verify/; expectations fixed before it; the
    # reference is the user's own builder in the same file; 16 of 16 right in the corpus run and under this test, which
    # builds the candidate on meta; twins 16 of 16 clean; swapped 5 of 5). No false 'no difference': the six described
    # edits (hidden_act 'ReLU' under an == 'relu' test, a 3x3 stem conv, shortcut convs built but never used, a ReLU
    # ending each projection, the reduction from in_channels, a max pooler) were each seen where they are, the five
    # named variants named and the five refactors compare clean: no entry.
}

# Twins the tool does not compare clean although they compute torchvision's network op for op: a
# tool mistake, not a twin's (what it reports instead).
NOT_YET_TWIN: dict[str, str] = {
    # heldout7's flax_resnet50_twin (block_counts '[16, 0, 0, 0]': NHWC block inputs read as 16
    # channels) compares clean since tracing/layout.py.
    # heldout10, first run at f8b198d (no uncommitted edits under resnet_verify/; expectations fixed before it; 8 of 14 right; twins 13 of 14 clean; swapped 7 of 11):
    # (convnext_tiny_k5's twin builds and compares clean since specs/user_specs.py's CPU fallback)
    # heldout12, first run at f072542: twins 8 of 12 clean
    # r18_same and cifar20_v1 compare clean since tracing/padfold.py: a zero F.pad (or -inf before a
    # max pool) read by one conv / pool is that layer's own padding, as Keras' folded 'same' is.
    # the two below are our twins' mistake, not the tool's (see NOT_YET): Keras' zero padding before
    # the pool is not MaxPool2d's -inf padding where the input can be negative
    "r18_relu_bn": "the stem pool described: Keras' ZeroPadding2D + 'valid' pool after a BN is not MaxPool2d(3, 2, 1)",
    "r50v2_stage_end": "the stem pool described: Keras' ZeroPadding2D + 'valid' pool after a bare conv is not "
    "MaxPool2d(3, 2, 1)",
    # heldout15, first run at d733499: twins 13 of 15 clean
    # (both twins compare clean since x @ W.T reads as a Linear)
    # heldout16, first run at 2061c22: twins 15 of 15 clean
    # heldout17, first run at db77c43: twins 15 of 15 clean
    # heldout18, first run at 5e70705: twins 15 of 15 clean
    # heldout19, first run at 4f84a2c: twins 13 of 15 clean (two plain edits' twins: the unedited network
    # compared with itself)
    # (both twins compare clean since parameters the reference leaves unused too are no difference:
    # diff.py's unused_params matches them by shape)
    # heldout20, first run at 31fc0b3: twins 16 of 16 clean
    # heldout21, first run at 0e3d498: twins 16 of 16 clean
    # heldout22, first run at 71299be: twins 16 of 16 clean
    # heldout23, first run at 0968f9f: twins 15 of 16 clean
    # heldout24, first run at 1664b31: twins 13 of 15 clean (both: float constants equal to float precision
    # compared exactly)
    # heldout25, first run at 4815550: twins 16 of 16 clean
    # heldout26, first run at 5f45d5f: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout27, first run at 7188d0a: twins 14 of 14 clean
    # heldout28, first run at e65dd42: twins 10 of 14 clean (each twin the unedited builder itself; the four rtdl
    # twins cannot be traced at all)
    # heldout29, first run at bbe7a26: twins 16 of 16 clean
    # heldout30, first run at 45031c3: twins 14 of 16 clean (two twins: Packed-Ensembles and MIMO at M=1, each
    # numerically torchvision's resnet18)
    # heldout31, first run at 11707ff: twins 16 of 16 clean
    # heldout32, first run at 69d66af: twins 16 of 16 clean
    # heldout35, first run at 6d2d5e9: twins 16 of 16 clean
    # heldout34, first run at 59db904: twins 16 of 16 clean
    # heldout33, first run at cecb17b: twins 15 of 15 clean
    # heldout36, first run at d3f6c27: twins 15 of 15 clean
    # heldout37, first run at 5944e64: twins 11 of 16 clean (five twins slice their weights whole in forward: each
    # numerically the torchvision network)
    # heldout38, first run at 1b3c7a5: twins 16 of 16 clean
    # heldout39, first run at 5caba78: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout40, first run at 28c8bb0: twins 16 of 16 clean
    # heldout41, first run at 135c6cc: twins 16 of 16 clean
    # heldout42, first run at b8f855e: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout43, first run at 06b9eaf: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout44, first run at aa79b68: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout45, first run at 0f33569: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout46, first run at eef88c3: twins 15 of 16 clean
    # heldout47, first run at f544d3d: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout48, first run at c65ea23: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout49, first run at 9a4054b: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout50, first run at 02437f6: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout51, first run at 38feb2d: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout52, first run at 482cadf: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout53, first run at f6b2f9a: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout55, first run at 7322e13: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout56, first run at 35a7cc7: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout54, first run at 5b95848: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout57, first run at c2c1db5: twins 16 of 16 clean in the benchmark run, 15 of 16 under pytest -n 2 (each twin
    # the unedited builder itself). Not an xfail: tet_dropout's twin failed twice under this part's pytest -n 2 and
    # passed (XPASS) the third time. One attribute mismatch ('layer1.2 main path: gt custom_backward is 'ZIF', expected
    # None'; at layer3.1 in the other run): the autograd Function's name kept on one side's op and lost on the other's.
    # It follows the cyclic garbage collector, not the twin: never with gc.disable() or a gc.collect() before the
    # compare; other twins of this part fail the same way at the fourth compare in one process. A tool flake to fix.
    # heldout58, first run at 4cd0868: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout59, first run at a9f7586: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout60, first run at f618c80: twins 11 of 16 clean (five Cheng twins, each the unedited builder itself, read
    # the z likelihood bound's LowerBoundFunction on one side only, depending on the RNG state; 16 of 16 once the
    # fixture's entropy bottleneck was built with likelihood_bound=0)
    # heldout61, first run at fd06c35: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout62, first run at 6876e74: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout63, first run at a224af9: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout64, first run at 37e2223: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout65, first run at 271a6e5: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout66, first run at 01e1658: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout67, first run at 06c3988: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout69, first run at 1dc018d: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout68, first run at 90a038d: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout71, first run at 5f4c498: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout72, first run at c72fd66: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout70, first run at 29506b8: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout73, first run at 69c1cda: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout74, first run at 2b92cc7: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout75, first run at a2660f2: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout76, first run at 24853bf: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout77, first run at 069feac: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout78, first run at 07c6dc8: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout79, first run at 4039b27: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout80, first run at 93d7b87: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout81, first run at abeef08: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout82, first run at fdf70f7: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout83, first run at cbc4780: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout84, first run at 88fc38b: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout85, first run at c96bfd1: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout86, first run at c4285f7: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout87, first run at 3b783f8: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout88, first run at c37a78a: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout89, first run at 034e59a: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout90, first run at be326c1: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout91, first run at 75ca11b: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout92, first run at f52e587: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout93, first run at 3f658b5: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout94, first run at 8d173d3: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout95, first run at 24bec78: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout96, first run at fc62b64: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout97, first run at b4b327c: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout98, first run at 3c237d1: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout99, first run at 87100ee: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout100, first run at d046b67: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout101, first run at 0e213c1: twins 13 of 16 clean (each twin the unedited builder itself): d2l's lazy
    # ResNet, returned unmaterialised, cannot be traced at all
    # heldout102, first run at a418095: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout103, first run at 5c8ecf4: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout104, first run at 7563d94: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout105, first run at 05bc73a: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout106, first run at fc692c3: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout107, first run at f063910: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout108, first run at 3b763fc: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout109, first run at 8c1499f: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout110, first run at d4db288: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout109, first run at 8c1499f: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout111, first run at 4424ec2: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout113, first run at 988ec74: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout112, first run at 736abf2: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout115, first run at 6932175: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout116, first run at 0514e52: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout117, first run at f678687: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout114, first run at 9d0ff8e: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout118, first run at 70f56cb: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout119, first run at 5a4b04f: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout120, first run at 76ad9b8: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout121, first run at 2af3e6f: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout122, first run at 0624c75: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout123, first run at 7a35b3c: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout124, first run at 410c388: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout125, first run at 1b56b51: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout126, first run at 2c9b1d9: twins 16 of 16 clean in the corpus run (each twin the unedited builder
    # itself), 13 of 16 under this test, which builds the twin on meta: MoCo's three twins
    "moco_shuffle_removed": "under this test only (meta): described_difference ('Layer state the reference updates in "
    "training is fixed in the candidate: In the model, the reference's MoCo writes queue, queue_ptr in every training "
    "forward; the candidate's layers never write theirs'), one mismatch ('MoCo writing its buffers queue, queue_ptr "
    "in each training forward (state_update) is missing in the candidate'), for the unedited MoCo builder compared "
    "with itself: built on meta, its _dequeue_and_enqueue is not seen (the corpus run, which builds it with its "
    "values, compares clean)",
    "moco_wide_2x": "under this test only (meta): described_difference ('Layer state the reference updates in "
    "training is fixed in the candidate: In the model, the reference's MoCo writes queue, queue_ptr in every training "
    "forward; the candidate's layers never write theirs'), one mismatch ('MoCo writing its buffers queue, queue_ptr "
    "in each training forward (state_update) is missing in the candidate'), for the unedited MoCo builder compared "
    "with itself: built on meta, its _dequeue_and_enqueue is not seen (the corpus run, which builds it with its "
    "values, compares clean)",
    "moco_normalize_dim0": "under this test only (meta): described_difference ('Layer state the reference updates in "
    "training is fixed in the candidate: In the model, the reference's MoCo writes queue, queue_ptr in every training "
    "forward; the candidate's layers never write theirs'), one mismatch ('MoCo writing its buffers queue, queue_ptr "
    "in each training forward (state_update) is missing in the candidate'), for the unedited MoCo builder compared "
    "with itself: built on meta, its _dequeue_and_enqueue is not seen (the corpus run, which builds it with its "
    "values, compares clean)",
    # heldout127, first run at 8207a40: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout128, first run at d22935a: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout129, first run at 4b08489: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout130, first run at 6222756: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout131, first run at 4503a60: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # heldout132, first run at 58545d4: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout133, first run at a6d8cca: twins 16 of 16 clean (each twin the unedited builder itself)
    # heldout139, first run at 6364831: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout135, first run at 95f6c69: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # heldout134, first run at f3a27a0: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout136, first run at 2f6802d: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # heldout138, first run at a9e5fbd: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # heldout140, first run at 322b7aa: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # heldout137, first run at eb9f92b: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout141, first run at a668560: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout142, first run at a668560: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout143, first run at a668560: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout144, first run at a668560: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout145, first run at a668560: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout146, first run at 414eb2f: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout147, first run at 414eb2f: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout148, first run at 414eb2f: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout149, first run at 414eb2f: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
    # heldout150, first run at 414eb2f: twins 16 of 16 clean (each twin the unedited builder itself), in the corpus run
    # and under this test
}

# Swapped sides (the idiom model as the reference, its torchvision reference as the candidate): what
# the tool reports instead, measured when the swap test was written (all named idioms, all parts).
# first run: 59 of 60; se_hardsigmoid passes now; heldout5: 5 of 5; heldout6: 6 of 9
NOT_YET_SWAPPED: dict[str, str] = {  # heldout6's three swapped misses pass with the fixes above
    # heldout7, first run at 8c95422: 4 of 5 (flax_resnet50 passes since tracing/layout.py)
    # heldout8, first run at 536d0b3: 6 of 10 (all four misses pass with the fixes above)
    # heldout9, first run at 27e778b: 3 of 5
    # bottleneck_no_add (residual_add_extra, the mirror name, where the swap rule wants the same name)
    # passes: one name for the concept in either direction, told from the candidate's side.
    "avgpool7_at_64": "compare() raises UsageError ('input size 3x64x64 is too small for ...avgpool7_at_64'): "
    "the reference side (the idiom model) cannot run at 64 px, so no comparison comes back",
    # heldout10, first run at f8b198d: 7 of 11 (convnext_tiny's swap passes: compare() builds the
    # reference spec on the CPU)
    # (pyramidnet110, preresnet164 and stodepth_resnet50 pass with the fixes above)
    # heldout11, first run at 1d3bc60: 3 of 4
    # (face_iresnet18's swap passes with the same fix)
    # heldout12, first run at f072542: 4 of 7 (the Keras reference as the candidate)
    # (r18_same and r18_softmax swapped pass with the same fixes)
    "r50v2_stage_end": "the stem pool's zero padding described besides stage_end_downsampling",
    # heldout14, first run at 788dc30: 5 of 7 (sn_resnet18 and wn_resnet18 pass since tracing/reparam.py)
    # heldout15, first run at d733499: 0 of 2
    # (both pass with the spellings above)
    # heldout16, first run at 2061c22: 5 of 6
    # (iresnet50 passes with the fix above)
    # heldout17, first run at db77c43: 7 of 8
    # (conv_head_resnet50 passes with the fix above)
    # heldout18, first run at 5e70705: 8 of 9
    # (d2_cfg_freeze_at2_r50 passes: frozen BN is named however few layers are frozen)
    # heldout19, first run at 4f84a2c: 4 of 9
    # (alphazero_tower's swap names widths since the fix above)
    # heldout20, first run at 31fc0b3: 2 of 4
    # heldout21, first run at 0e3d498: 5 of 9
    # (the three depthwise idioms' swaps pass with the fix above)
    "cnx_fewer_acts_norms_r50": "extra_module_in_blocks (the idiom, now the reference, lacks bn2, bn3 and two "
    "ReLUs per block); normalization_layer not named",
    # heldout22, first run at 71299be: 6 of 7 (resnet8_relu6's swap passes with the fixes above)
    # heldout23, first run at 0968f9f: 3 of 7
    # heldout24, first run at 1664b31: 3 of 5
    # heldout25, first run at 4815550: 2 of 4
    "fd_r50_basic_widths": "compare() raises UsageError ('the reference ...fd_r50_basic_widths cannot run on 3x64x64 "
    "inputs: The size of tensor a (256) must match the size of tensor b (64) ... (at ...batch25_denoise.py:59)'): the "
    "reference side (the crashing idiom model) cannot run, so no comparison comes back",
    # heldout26, first run at 5f45d5f: 1 of 1
    # heldout27, first run at 7188d0a: 9 of 10
    # heldout28, first run at e65dd42: 1 of 2 (rtdl_hidden_halved passes with the fix above)
    # heldout29, first run at bbe7a26: 3 of 6
    "gem_view_at_64": "compare() raises UsageError ('the reference ...gem_view_at_64 cannot run on 3x64x64 inputs: "
    "view to a fixed size (1, 3, 32, 32) ...', its cause named at its line): the reference side cannot run, so no "
    "comparison comes back",
    # heldout30, first run at 45031c3: 3 of 6
    # heldout31, first run at 11707ff: 4 of 6
    # heldout32, first run at 69d66af: 2 of 2
    # heldout35, first run at 6d2d5e9: 5 of 5
    # heldout34, first run at 59db904: 3 of 8
    # heldout33, first run at cecb17b: 2 of 3
    # heldout36, first run at d3f6c27: 3 of 5
    "tv_fcn_r50": "dropout (the FCN heads' Dropout(p=0.1), 'Dropout missing in the candidate') besides "
    "dilated_output_stride, as the unswapped run",
    # heldout37, first run at 5944e64: 6 of 7
    # heldout38, first run at 1b3c7a5: 4 of 5
    # heldout39, first run at 5caba78: 3 of 4
    # heldout40, first run at 28c8bb0: 3 of 5
    "fuse_sequential_only_r50": "projection_without_bn ('(in the reference)', claiming all 12 mismatches) without "
    "batchnorm_folded, as the unswapped run",
    # heldout41, first run at 135c6cc: 8 of 8
    # heldout42, first run at b8f855e: 5 of 5
    # heldout43, first run at 06b9eaf: 4 of 4
    # heldout44, first run at aa79b68: 3 of 4
    # heldout45, first run at 0f33569: 5 of 6
    "vdcnn_maxpool_blocks": "repeated_in_blocks twice (the extra max pool and the conv strides, phrased for the "
    "reference's side) without downsampling_moved, as the unswapped run",
    # heldout46, first run at eef88c3: 4 of 4
    # heldout47, first run at f544d3d: 4 of 5
    "hg_post_activation_units": "pre_activation (in the reference) besides two repeated_in_blocks (the BN and ReLU "
    "moved across the add) and a described_difference, as the unswapped run",
    # heldout48, first run at c65ea23: 4 of 5
    # heldout49, first run at 9a4054b: 5 of 5
    # heldout50, first run at 02437f6: 4 of 4
    # heldout51, first run at 38feb2d: 2 of 5
    "blockdrop_conv_shortcut": "extra_module_in_blocks ('2 residual units (ds.1, ds.2) that the reference lacks') and "
    "two repeated_in_blocks (avg pool / cat where the reference has 1x1 conv / BatchNorm) without option_a_shortcut, "
    "as the unswapped run",
    "blockdrop_drop_more": "extra_module_in_blocks ('1 residual unit (blocks.2.1) that the reference lacks') without "
    "block_counts: the mask arithmetic (fx * mask + residual * (1 - mask), the mask a constant of ones) splits blocks "
    "into odd units, so the extra block reads as unlike its stage (the in-place backward failure both sides share is "
    "no longer reported since inplace_backward matches writes block by block)",
    # heldout52, first run at 482cadf: 4 of 5
    # heldout53, first run at f6b2f9a: 5 of 5
    # heldout55, first run at 7322e13: 5 of 5
    # heldout56, first run at 35a7cc7: 4 of 5
    "ham_layer_sizes_halved": "widths right, but two repeated_in_blocks (the split's slice bounds, the kernels' "
    "parameter counts) and a described_difference (the zero channels' output shapes) beside it, as the unswapped run",
    # heldout54, first run at 5b95848: 4 of 5
    "irev_nblocks_232": "described_difference ('Block stack is built differently': BatchNorm and ReLU missing in the "
    "candidate after the add) and one unclaimed 'the skip over blocks stack ... is missing in the candidate' without "
    "block_counts, as the unswapped run",
    # heldout57, first run at c2c1db5: 2 of 5
    "sew_imagenet_stem": "block_counts ('[1, 0, 3, 2, 2, 2] in the candidate, [1, 1, 2, 2, 2, 2] in the reference'), "
    "extra_module_in_blocks and a described_difference (the stem's kernel, padding and stride) without cifar_stem, as "
    "the unswapped run",
    "sew_resnet34": "block_counts right beside a described_difference ('The model as a whole is built differently (42 "
    "differences)'), as the unswapped run",
    "ms_widths_doubled": "swapped: descriptions at every block, the stem and the head, widths not reported, as the "
    "unswapped run (no TypeError since the adaptive pool's None output size is read as the axis kept)",
    # heldout58, first run at 4cd0868: 5 of 5
    # heldout59, first run at a9f7586: 6 of 6
    # heldout60, first run at f618c80: 2 of 5
    "cheng_n48": "widths beside repeated_in_blocks and described_difference findings (the sub-pixel convs, the chunk's "
    "bounds, the entropy bottleneck), as the unswapped run",
    "hyper_dcvc_resblock": "repeated_in_blocks (the LeakyReLU moved across the add) without pre_activation, as the "
    "unswapped run",
    # heldout61, first run at fd06c35: 4 of 5
    "fno_width32": "widths beside repeated_in_blocks (the spectral convs' zero out_ft buffers) and a "
    "described_difference (the lifting Linear's out_features), as the unswapped run",
    # heldout62, first run at 6876e74: 3 of 5
    "condconv_expert_bias": "conv_bias_before_bn ('(in the reference)') beside a described_difference ('A CondConv2d "
    "in place of conv1, conv2 (12 layers) (in the reference)') for the mixed biases, as the unswapped run",
    "dy_dyrelu": "two extra_module_in_blocks (the DyReLUBs, now in the reference) and a described_difference in the "
    "head without activation_function, as the unswapped run",
    # heldout63, first run at a224af9: 3 of 5
    "r2u_ru_net": "repeated_in_blocks ('an extra residual add in the candidate (block), in 5 blocks (RRCNN1 ... "
    "Up_RRCNN2)') and five more repeated_in_blocks and a described_difference (head) with three unclaimed shared-weight "
    "mismatches, without residual_add_missing, as the unswapped run",
    # heldout64, first run at 37e2223: 4 of 5
    # heldout65, first run at 271a6e5: 4 of 5
    "wave_strided_blocks": "two downsampling_moved (the stride moved from the 3x3 / 1x1 conv to the 2x2 conv, main path "
    "and shortcut) without blur_pool, as the unswapped run",
    # heldout66, first run at 01e1658: 4 of 5
    "dubn_dubin": "extra_module_in_blocks ('An extra DuBIN in 6 blocks (in the reference)') without "
    "normalization_layer, as the unswapped run",
    # heldout67, first run at 06c3988: 3 of 5
    # heldout69, first run at 1dc018d: 4 of 5
    # heldout68, first run at 90a038d: 4 of 5
    # heldout71, first run at 5f4c498: 5 of 6
    # heldout72, first run at c72fd66: 5 of 5
    # heldout70, first run at 29506b8: 5 of 6
    # heldout73, first run at 69c1cda: 3 of 6
    "muzero_two_blocks": "block_counts beside two described_difference findings (the min-max scaling's ops in "
    "representation_network.resblocks.0 and .1), as the unswapped run",
    # heldout74, first run at 2b92cc7: 5 of 5
    # heldout75, first run at a2660f2: 5 of 6
    # heldout76, first run at 24853bf: 6 of 6 under this test (the candidate built on meta); 5 of 6 in the corpus run,
    # which builds both sides with their values: dino_plain_last_layer swapped (the builder's weight_norm last layer as
    # the candidate) compares as a MATCH there, the one trace difference dropped by the float64 check ('computes the
    # same function'), so parameters_computed_in_forward is not reported. Not an xfail: this test passes.
    # heldout77, first run at 069feac: 6 of 6
    # heldout78, first run at 07c6dc8: 6 of 6
    # heldout79, first run at 4039b27: 5 of 5
    # heldout80, first run at 93d7b87: 4 of 5
    # heldout81, first run at abeef08: 6 of 6
    # heldout82, first run at fdf70f7: 6 of 6
    # heldout83, first run at cbc4780: 6 of 6
    # heldout84, first run at 88fc38b: 4 of 5
    # heldout85, first run at c96bfd1: 4 of 6
    "pp_first_stride_one": "no finding; both mismatches ('stem: 3x3 conv stride is (2, 2), expected (1, 1)' and the "
    "stem's output shape) left unclaimed, as the unswapped run",
    # heldout86, first run at c4285f7: 4 of 5
    # heldout87, first run at 3b783f8: 4 of 5
    # heldout88, first run at c37a78a: 5 of 5
    # heldout89, first run at 034e59a: 3 of 4 (bcnn_dilated_layer4 said described_difference, 'Block features.7.0 is
    # built differently', for dilated_output_stride; no longer named since its correction, a fact about the model)
    # heldout90, first run at be326c1: 5 of 6
    "rmac_dilated_layer4": "swapped: dilated_output_stride (right) with a described_difference at pool ('max pool "
    "where the reference has global pool (head) (x9)'), as the unswapped run (expected dilated_output_stride alone)",
    # heldout91, first run at 75ca11b: 5 of 5
    # heldout92, first run at f52e587: 5 of 5
    # heldout93, first run at 3f658b5: 5 of 5
    # heldout94, first run at 8d173d3: 4 of 5
    "flow_two_blocks_per_stage": "swapped: block_counts (right) with a described_difference 'The head is built "
    "differently (2 differences, no named variant)' at flow_stream.layer2 ('a copy of rgb_stream.layer2 (the same "
    "layers, weights of its own) run beside it on another input missing in the candidate'), the streams' blocks "
    "counted as one chain ('[1, 1, 4, 0] in the candidate, [2, 2, 1, 3] in the reference') (expected block_counts "
    "alone)",
    # heldout95, first run at 24bec78: 3 of 6
    # heldout96, first run at fc62b64: 4 of 5
    # heldout97, first run at b4b327c: 2 of 4
    # heldout98, first run at 3c237d1: 5 of 5
    # heldout99, first run at 87100ee: 4 of 4
    # heldout100, first run at d046b67: 5 of 5
    # heldout101, first run at 0e213c1: 2 of 4
    "scratch_bn_keras_defaults": "swapped: described_difference ('weights computed otherwise in forward': add(1e-05) "
    "against add(0.001) before the sqrt), as the unswapped run (expected keras_batchnorm)",
    # heldout102, first run at a418095: 3 of 4
    # heldout103, first run at 5c8ecf4: 4 of 5
    "gap_fixed_avgpool7": "compare() raises UsageError ('the reference ...gap_fixed_avgpool7 cannot run on 3x64x64 "
    "inputs: AvgPool2d(7) is larger than the 2x2 map that reaches it ...'): the reference side (the idiom model) "
    "cannot run at 64 px, so no comparison comes back",
    # heldout104, first run at 7563d94: 3 of 5
    "drrn_b1u4": "swapped: no finding, one mismatch left unclaimed ('block: the skip over blocks block, block ... block "
    "(a residual add around them) is missing in the candidate'), as the unswapped run (expected block_counts)",
    "drrn_no_local_residual": "swapped: wrong names repeated_in_blocks ('an extra residual add in the candidate "
    "(block), in 2 blocks') and three described_difference (stem, block 0, head), as the unswapped run (expected "
    "residual_add_missing)",
    # heldout105, first run at 05bc73a: 3 of 5
    # heldout106, first run at fc692c3: 5 of 5
    # heldout107, first run at f063910: 5 of 5
    # heldout108, first run at 3b763fc: 4 of 5
    # heldout109, first run at 8c1499f: 3 of 5
    # heldout110, first run at d4db288: 5 of 5
    "gray_one_channel_stem": "swapped: described_difference only ('an extra repeat in the candidate (stem); conv with "
    "432 parameters where the reference's has 144'), as the unswapped run (expected input_channels)",
    # heldout111, first run at 4424ec2: 4 of 4
    # heldout113, first run at 988ec74: 4 of 5
    # heldout112, first run at 736abf2: 1 of 2
    # heldout115, first run at 6932175: 4 of 5
    "bin_plain_bn": "swapped: block_counts, parameters_computed_in_forward, extra_module_in_blocks, "
    "repeated_in_blocks and described_difference, normalization_layer not reported, as the unswapped run (each BIN's "
    "out_bn + out_in read as a residual add) (expected normalization_layer)",
    # heldout116, first run at 0514e52: 4 of 4
    # heldout117, first run at f678687: 2 of 5
    "kd_runs_teacher_wide": "swapped: widths ('0.5x the reference's') with normalization_layer ('All 9 of the "
    "reference's BatchNorm layers are kept in eval mode while training'), as the unswapped run (expected widths)",
    "kd_runs_teacher_deep": "swapped: block_counts with described_difference twice ('A BatchNorm kept in eval mode in "
    "training missing in the candidate'), as the unswapped run (expected block_counts)",
    "fcall_base_mode_stale": "swapped: described_difference only ('batch_norm batch_statistics_in_eval None where the "
    "reference has True (6 places)'), as the unswapped run (expected normalization_layer)",
    # heldout114, first run at 9d0ff8e: 5 of 6
    # heldout118, first run at 70f56cb: 5 of 5
    # heldout119, first run at 5a4b04f: 3 of 5
    "probe_at_64": "swapped: no finding, linear_in_features not reported, as the unswapped run (the probe at 64 px, "
    "a Linear(1024, 10) that 256 features reach, held by the reference) (expected linear_in_features)",
    # heldout120, first run at 76ad9b8: 5 of 5
    # heldout121, first run at 2af3e6f: 2 of 5
    "unfold_conv_bias": "swapped: extra_module_in_blocks twice, repeated_in_blocks and described_difference, "
    "conv_bias_before_bn not reported, as the unswapped run (expected conv_bias_before_bn)",
    "formula_bn_keras": "swapped: described_difference (the eps, 'where the reference's have 0.001'; its first run: "
    "normalization_layer and described_difference three times), keras_batchnorm not reported, as the unswapped run "
    "(expected keras_batchnorm)",
    # heldout122, first run at 0624c75: 4 of 5
    # heldout123, first run at 7a35b3c: 5 of 5
    # heldout124, first run at 410c388: 5 of 6
    # heldout125, first run at 1b56b51: 5 of 5
    # heldout126, first run at 2c9b1d9: 4 of 4 in the corpus run, 3 of 4 under this test (meta)
    "moco_wide_2x": "swapped, under this test only (meta): widths ('0.5x the reference's') with a described_difference "
    "for MoCo's queue writes ('the reference's MoCo writes queue, queue_ptr in every training forward; the candidate's "
    "layers never write theirs'), as its twin (expected widths)",
    # heldout127, first run at 8207a40: 4 of 4
    # heldout128, first run at d22935a: 3 of 5
    "export_softmax": "swapped: softmax_output with the two described_difference for the input rescale (the "
    "reference's torch.where against the candidate's `if x.max() > 1.0`), as the unswapped run (expected "
    "softmax_output)",
    # heldout129, first run at 4b08489: 4 of 4
    # heldout130, first run at 6222756: 5 of 5
    # heldout131, first run at 4503a60: 5 of 5
    # heldout132, first run at 58545d4: 5 of 5
    # heldout133, first run at a6d8cca: 5 of 5
    # heldout139, first run at 6364831: 5 of 5
    # heldout135, first run at 95f6c69: 5 of 5
    # heldout134, first run at f3a27a0: 5 of 5
    # heldout136, first run at 2f6802d: 4 of 5
    # heldout138, first run at a9e5fbd: 5 of 5
    # heldout140, first run at 322b7aa: 3 of 5
    # heldout137, first run at eb9f92b: 5 of 5
    # heldout141, first run at a668560: 5 of 5
    # heldout142, first run at a668560: 5 of 5
    # heldout143, first run at a668560: 6 of 6
    # heldout144, first run at a668560: 6 of 6
    # heldout145, first run at a668560: 3 of 4
    # heldout146, first run at 414eb2f: 7 of 7
    # heldout147, first run at 414eb2f: 5 of 5
    # heldout148, first run at 414eb2f: 3 of 4
    "gcx_se_for_gc": "swapped: squeeze_excitation ('5 of the reference's blocks ... carry squeeze-excitation ... that "
    "the candidate's do not', 25 mismatches) with three repeated_in_blocks for the candidate's GC block ('an extra "
    "matmul in the candidate (main path)', 'an extra 1x1 conv in the candidate (main path)', 'an extra norm in the "
    "candidate (main path)', in 5 blocks each), as the unswapped run (expected squeeze_excitation, "
    "extra_module_in_blocks allowed)",
    # heldout149, first run at 414eb2f: 3 of 6
    "tkv_pool_padding1": "swapped: described_difference ('The stem is built differently (2 differences, no named "
    "variant)': an extra pad (pool1_pad) in the candidate, max pool padding (0, 0) where the reference has (1, 1)), as "
    "the unswapped run (expected keras_pool_padding, keras_stem allowed)",
    # heldout150, first run at 414eb2f: 5 of 5
}
NAMED = [i for i in ALL if i.named]


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _compare(spec: str, idiom: Idiom) -> Comparison:
    model, name = build_model(spec, num_classes=CLASSES, device="meta")
    return compare(
        model, idiom.reference, input_size=idiom.compare_size, num_classes=CLASSES, candidate_name=name
    )


def _case(idiom: Idiom) -> object:
    marks = []
    if idiom.name in NOT_YET:
        marks.append(pytest.mark.xfail(strict=True, reason=f"held-out: {NOT_YET[idiom.name]}"))
    return pytest.param(idiom, id=idiom.name, marks=marks)


def _twin_case(idiom: Idiom) -> object:
    marks = []
    if idiom.name in NOT_YET_TWIN:
        marks.append(pytest.mark.xfail(strict=True, reason=f"twin: {NOT_YET_TWIN[idiom.name]}"))
    return pytest.param(idiom, id=idiom.name, marks=marks)


# The full suite only (marked slow): each twin is the fixture's own integrity check, 30 s of the fast
# loop for 211 idioms, which pushed it to 41% of the suite (222 of 541 s).
@pytest.mark.slow
@pytest.mark.parametrize("idiom", [_twin_case(i) for i in ALL])
def test_twin_compares_clean(idiom: Idiom) -> None:
    c = _compare(idiom.twin, idiom)
    assert not c.mismatches, [m.message for m in c.mismatches[:5]]
    assert not c.findings, [f.pattern.value for f in c.findings]


@pytest.mark.parametrize("idiom", [_case(i) for i in ALL])
def test_idiom_explained(idiom: Idiom) -> None:
    v = judge(idiom, _compare(idiom.builder, idiom))
    if idiom.clean:
        assert v.mismatches == 0 and not v.reported, f"nothing structural differs; reported {v.reported}"
        return
    assert v.mismatches > 0, "the idiom is a real difference: the tool must see it"
    assert not v.wrong_names, f"wrong names {v.wrong_names}"
    assert not v.missing_names, f"expected {v.missing_names}, reported {v.reported}"
    assert not v.loose, f"not claimed by a correct finding: {sorted(set(v.loose))[:8]}"
    assert not v.unlocated, f"outside {idiom.where} / {idiom.where_reference}: {sorted(set(v.unlocated))[:8]}"


def _swapped_case(idiom: Idiom) -> object:
    marks = []
    if idiom.name in NOT_YET_SWAPPED:
        marks.append(pytest.mark.xfail(strict=True, reason=f"swapped: {NOT_YET_SWAPPED[idiom.name]}"))
    return pytest.param(idiom, id=idiom.name, marks=marks)


@pytest.mark.slow  # the same idioms as test_idiom_explained, sides swapped: the full suite runs it
@pytest.mark.parametrize("idiom", [_swapped_case(i) for i in NAMED])
def test_named_idiom_swapped(idiom: Idiom) -> None:
    """The variant held by the reference (a port's original, yesterday's version): the same names,
    phrased for that direction, and nothing named wrongly."""
    reference, name = build_model(idiom.reference, num_classes=CLASSES, device="meta")
    c = compare(reference, idiom.builder, input_size=idiom.compare_size, num_classes=CLASSES,
                candidate_name=name)  # fmt: skip
    reported = {f.pattern for f in c.findings}
    fine = idiom.named | idiom.allowed | (DESCRIPTIONS if idiom.described else frozenset())
    assert c.mismatches, "the idiom is a real difference: the tool must see it swapped too"
    assert not idiom.named - reported, (
        f"expected {sorted(p.value for p in idiom.named)}, reported {sorted(p.value for p in reported)}"
    )
    assert not reported - fine, f"wrong names {sorted(p.value for p in reported - fine)}"


def test_manifest_is_consistent() -> None:
    names = [i.name for i in ALL]
    assert len(names) == len(set(names)) and len(ALL) >= 30
    assert {p: len(v) for p, v in PARTS.items()} == {
        "heldout": 16,
        "heldout2": 19,
        "heldout3": 19,
        "heldout4": 18,
        "heldout5": 15,
        "heldout6": 16,
        "heldout7": 15,
        "heldout8": 14,
        "heldout9": 12,
        "heldout10": 14,
        "heldout11": 14,
        "heldout12": 12,
        "heldout13": 14,
        "heldout14": 16,
        "heldout15": 15,
        "heldout16": 15,
        "heldout17": 15,
        "heldout18": 15,
        "heldout19": 15,
        "heldout20": 16,
        "heldout21": 16,
        "heldout22": 16,
        "heldout23": 16,
        "heldout24": 15,
        "heldout25": 16,
        "heldout26": 16,
        "heldout27": 14,
        "heldout28": 14,
        "heldout29": 16,
        "heldout30": 16,
        "heldout31": 16,
        "heldout32": 16,
        "heldout33": 15,
        "heldout34": 16,
        "heldout35": 16,
        "heldout36": 15,
        "heldout37": 16,
        "heldout38": 16,
        "heldout39": 16,
        "heldout40": 16,
        "heldout41": 16,
        "heldout42": 16,
        "heldout43": 16,
        "heldout44": 16,
        "heldout45": 16,
        "heldout46": 16,
        "heldout47": 16,
        "heldout48": 16,
        "heldout49": 16,
        "heldout50": 16,
        "heldout51": 16,
        "heldout52": 16,
        "heldout53": 16,
        "heldout54": 16,
        "heldout55": 16,
        "heldout56": 16,
        "heldout57": 16,
        "heldout58": 16,
        "heldout59": 16,
        "heldout60": 16,
        "heldout61": 16,
        "heldout62": 16,
        "heldout63": 16,
        "heldout64": 16,
        "heldout65": 16,
        "heldout66": 16,
        "heldout67": 16,
        "heldout68": 16,
        "heldout69": 16,
        "heldout70": 16,
        "heldout71": 16,
        "heldout72": 16,
        "heldout73": 16,
        "heldout74": 16,
        "heldout75": 16,
        "heldout76": 16,
        "heldout77": 16,
        "heldout78": 16,
        "heldout79": 16,
        "heldout80": 16,
        "heldout81": 16,
        "heldout82": 16,
        "heldout83": 16,
        "heldout84": 16,
        "heldout85": 16,
        "heldout86": 16,
        "heldout87": 16,
        "heldout88": 16,
        "heldout89": 16,
        "heldout90": 16,
        "heldout91": 16,
        "heldout92": 16,
        "heldout93": 16,
        "heldout94": 16,
        "heldout95": 16,
        "heldout96": 16,
        "heldout97": 16,
        "heldout98": 16,
        "heldout99": 16,
        "heldout100": 16,
        "heldout101": 16,
        "heldout102": 16,
        "heldout103": 16,
        "heldout104": 16,
        "heldout105": 16,
        "heldout106": 16,
        "heldout107": 16,
        "heldout108": 16,
        "heldout109": 16,
        "heldout110": 16,
        "heldout111": 16,
        "heldout113": 16,
        "heldout112": 16,
        "heldout115": 16,
        "heldout116": 16,
        "heldout117": 16,
        "heldout114": 16,
        "heldout118": 16,
        "heldout119": 16,
        "heldout120": 16,
        "heldout121": 16,
        "heldout122": 16,
        "heldout123": 16,
        "heldout124": 16,
        "heldout125": 16,
        "heldout126": 16,
        "heldout127": 16,
        "heldout128": 16,
        "heldout129": 16,
        "heldout130": 16,
        "heldout131": 16,
        "heldout132": 16,
        "heldout133": 16,
        "heldout135": 16,
        "heldout134": 16,
        "heldout136": 16,
        "heldout138": 16,
        "heldout140": 16,
        "heldout137": 16,
        "heldout139": 16,
        "heldout141": 16,
        "heldout142": 16,
        "heldout143": 16,
        "heldout144": 16,
        "heldout145": 16,
        "heldout146": 16,
        "heldout147": 16,
        "heldout148": 16,
        "heldout149": 16,
        "heldout150": 16,
        "development": 27,
    }
    for part, idioms in PARTS.items():
        assert all(i.part == part for i in idioms), part
    for i in ALL:
        assert (i.named or i.described) != i.clean, i.name  # an expectation, and clean means no other
        assert not (i.named & i.allowed), i.name
        assert i.seen_in, i.name
        for spec in (i.builder, i.twin):
            assert spec.startswith("torchvision:") or (REPO / spec.split(":")[0]).is_file(), spec
    assert set(NOT_YET) <= set(names)
    assert set(NOT_YET_TWIN) <= set(names)
    assert set(NOT_YET_SWAPPED) <= {i.name for i in NAMED}
